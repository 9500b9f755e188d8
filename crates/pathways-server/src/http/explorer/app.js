// The pathway explorer: everything it shows comes from the public GraphQL API
// at /graphql, fetched with GET so the server's ETags and the browser's cache
// apply. The address (?profession=, ?role=, ?q=, &step=) is the state, so any
// view can be sent as a link. `?release=ID` previews a release that may not be
// published: the preview token is asked for once and kept in sessionStorage,
// never in the address, and sent in the Authorization header.
//
// Live updates, where the browser has them: a reader is told when a new release
// is published (Server-Sent Events from /events) and can reload; a preview
// follows newer staged releases (a graphql-ws subscription on /graphql, which
// carries the preview token in its first message: EventSource can send no
// header, and the token must never go into an address).

const PAGE = `query Page {
  page { title intro footer }
  release { id importedAt status }
}`;

const TOKEN_KEY = 'pathways-preview-token';

/** The release this tab previews, from the address; null when it reads the published one. */
function previewing() {
  return new URLSearchParams(location.search).get('release');
}

class PreviewRefused extends Error {}

const PROFESSIONS = `query Professions($after: String) {
  professions(first: 100, after: $after) {
    edges { node { slug name hasPathway } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const PATHWAY = `query Pathway($slug: String!) {
  profession(slug: $slug) {
    slug name hasPathway
    levels {
      level { number label }
      steps {
        position title intro
        level { label }
        entryRoute { slug name stages { position name optional } }
        role { slug title description shared usedBy { slug name } }
      }
    }
  }
}`;

const ROLE = `query Role($slug: String!) {
  role(slug: $slug) { slug title level { label } description shared usedBy { slug name } }
}`;

const SEARCH = `query Search($text: String!) {
  search(text: $text, first: 20) {
    kind title snippet
    profession { slug name }
    step { position }
    role { slug title }
  }
}`;

const STAGED = `subscription Staged {
  releaseStaged { release { id } }
}`;

const view = document.getElementById('view');
const status = document.getElementById('status');
const main = document.getElementById('main');
let professions = [];
let page = { title: 'Career pathways', intro: [], footer: null };
/** The id of the release shown, and whether answers cached before a publish must be revalidated. */
let shownRelease = null;
let revalidate = false;

/**
 * Runs one of the queries above. The server knows them as `explorer.<operation>`
 * (it reads them from this script), so only the id is sent: the explorer works
 * where only persisted documents run, and its addresses stay short.
 */
async function graphql(query, variables) {
  const url = new URL('/graphql', location.origin);
  url.searchParams.set('documentId', `explorer.${/^query (\w+)/.exec(query)[1]}`);
  if (variables) url.searchParams.set('variables', JSON.stringify(variables));
  const headers = { accept: 'application/graphql-response+json' };
  const release = previewing();
  if (release) {
    headers.authorization = `Bearer ${sessionStorage.getItem(TOKEN_KEY) ?? ''}`;
    headers['pathways-release'] = release;
  }
  const cache = release ? 'no-store' : (revalidate ? 'no-cache' : 'default');
  const response = await fetch(url, { headers, cache });
  if (response.status === 401) throw new PreviewRefused('the preview token was refused');
  const body = await response.json().catch(() => null);
  if (!body || body.errors?.length) {
    const messages = body?.errors?.map((e) => e.message).join('; ');
    throw new Error(messages || `the API answered HTTP ${response.status}`);
  }
  return body.data;
}

/** Builds an element: h('a', { href: '?q=x' }, 'text', otherNode). */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value == null) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  element.append(...children.flat().filter((c) => c != null));
  return element;
}

/** An address in this explorer, keeping the release previewed. */
function href(params) {
  const release = previewing();
  const all = new URLSearchParams(params);
  if (release) all.set('release', release);
  return `/?${all}`;
}

function link(params, ...children) {
  return h('a', { href: href(params), 'data-nav': true }, ...children);
}

/** The API's Markdown subset: paragraphs, `- ` lists, backslash escapes. */
function markdown(text) {
  const unescape = (s) => s.replace(/\\(.)/g, '$1');
  return text.split(/\n{2,}/).filter((block) => block.trim()).map((block) => {
    const lines = block.split('\n');
    if (lines.every((line) => line.startsWith('- '))) {
      return h('ul', {}, lines.map((line) => h('li', {}, unescape(line.slice(2)))));
    }
    return h('p', {}, unescape(block));
  });
}

/** A search snippet: words found are wrapped in `**`. */
function snippet(text) {
  return text.split('**').map((part, i) => (i % 2 ? h('mark', {}, part) : part));
}

function show(title, ...content) {
  document.title = title ? `${title} · ${page.title}` : page.title;
  view.replaceChildren(...content);
}

function setStatus(message, isError = false) {
  status.textContent = message;
  status.classList.toggle('error', isError);
}

function renderProfessionList(current) {
  const list = document.getElementById('profession-list');
  list.replaceChildren(...professions.map((p) => h('li', {},
    h('a', {
      href: href({ profession: p.slug }),
      'data-nav': true,
      class: p.hasPathway ? null : 'no-pathway',
      'aria-current': p.slug === current ? 'page' : null,
    }, p.name, p.hasPathway ? null : h('span', { class: 'note' }, 'No example pathway yet')))));
}

function renderHome() {
  const withPathway = professions.filter((p) => p.hasPathway);
  show(null,
    h('h2', {}, 'Choose a profession'),
    h('p', {}, `${professions.length} professions, ${withPathway.length} with an example pathway. ` +
      'Each pathway shows the roles by career level and the routes between them.'),
    page.footer ? h('p', { class: 'page-footer' }, page.footer) : null,
    h('ul', { class: 'quick-links' }, withPathway.map((p) => h('li', {}, link({ profession: p.slug }, p.name)))));
}

function routeBetween(route, from, to) {
  return h('div', { class: 'route', role: 'group', 'aria-label': `${route.name} route from ${from} to ${to}` },
    h('span', { class: 'route-name' }, `${route.name} route`),
    h('ol', { class: 'stages' }, route.stages.map((stage) => h('li', {
      class: stage.optional ? 'stage optional' : 'stage',
    }, stage.name, stage.optional ? h('span', { class: 'optional-note' }, ' (optional)') : null))));
}

function stepCard(step, profession) {
  const id = `step-${step.position}`;
  const others = step.role.usedBy.filter((p) => p.slug !== profession.slug);
  const body = h('div', { class: 'card-body', id: `${id}-body`, hidden: true },
    step.intro ? markdown(step.intro) : null,
    markdown(step.role.description),
    step.role.shared
      ? h('p', { class: 'shared' },
        `This role is shared with ${others.length} other profession${others.length === 1 ? '' : 's'}: `,
        others.flatMap((p, i) => [i ? ', ' : null, link({ profession: p.slug }, p.name)]),
        '. ', link({ role: step.role.slug }, 'See the role and every pathway it is in'), '.')
      : null);
  const toggle = h('button', { class: 'card-toggle', type: 'button', 'aria-expanded': 'false', 'aria-controls': body.id },
    h('span', { class: 'step-title' }, step.title),
    h('span', { class: 'step-level' }, step.level.label));
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    body.hidden = !open;
  });
  return h('article', { class: 'card', 'aria-labelledby': `${id}-title` },
    h('h4', { id: `${id}-title` }, toggle), body);
}

async function renderProfession(slug, openStep) {
  const { profession } = await graphql(PATHWAY, { slug });
  if (!profession) {
    show('Not found', h('h2', {}, 'Profession not found'), h('p', {}, `There is no profession “${slug}”.`));
    return;
  }
  if (!profession.hasPathway) {
    show(profession.name, h('h2', { id: 'pathway-heading' }, profession.name),
      h('p', { class: 'no-pathway-note' }, `No example pathway has been published for ${profession.name} yet.`));
    return;
  }
  let previous = null;
  const levels = profession.levels.map(({ level, steps }) => h('li', { class: 'pathway-level' },
    h('h3', {}, level.label),
    h('ol', { class: 'steps' }, steps.map((step) => {
      const item = h('li', { class: 'step', id: `step-${step.position}`, 'data-position': step.position },
        step.entryRoute && previous ? routeBetween(step.entryRoute, previous.title, step.title) : null,
        stepCard(step, profession));
      previous = step;
      return item;
    }))));
  show(profession.name,
    h('section', { 'aria-labelledby': 'pathway-heading', class: 'pathway' },
      h('h2', { id: 'pathway-heading' }, `${profession.name} pathway`),
      h('p', {}, 'Open a role to read about it. Routes between roles show the stages of education or training.'),
      h('ol', { class: 'pathway-levels' }, levels)));
  if (openStep) {
    const toggle = view.querySelector(`#step-${CSS.escape(openStep)} .card-toggle`);
    toggle?.click();
    toggle?.scrollIntoView({ block: 'center' });
  }
}

async function renderRole(slug) {
  const { role } = await graphql(ROLE, { slug });
  if (!role) {
    show('Not found', h('h2', {}, 'Role not found'), h('p', {}, `There is no role “${slug}”.`));
    return;
  }
  show(role.title,
    h('article', { class: 'role', 'aria-labelledby': 'role-heading' },
      h('h2', { id: 'role-heading' }, role.title),
      h('p', {}, role.level.label),
      h('h3', {}, role.shared ? 'Pathways that share this role' : 'Pathway with this role'),
      h('ul', { class: 'used-by' }, role.usedBy.map((p) => h('li', {}, link({ profession: p.slug }, p.name)))),
      h('h3', {}, 'About the role'),
      markdown(role.description)));
}

async function renderSearch(text) {
  const { search } = await graphql(SEARCH, { text });
  const target = (hit) => {
    if (hit.kind === 'STEP') return { profession: hit.profession.slug, step: hit.step.position };
    if (hit.kind === 'ROLE') return { role: hit.role.slug };
    return { profession: hit.profession.slug };
  };
  show(`Search: ${text}`,
    h('h2', {}, `Search results for “${text}”`),
    search.length
      ? h('ol', { class: 'search-results' }, search.map((hit) => h('li', {},
        link(target(hit), hit.title),
        h('span', { class: 'hit-kind' }, hit.kind.toLowerCase()),
        hit.kind === 'STEP' ? h('span', { class: 'hit-where' }, ` in ${hit.profession.name}`) : null,
        h('p', {}, snippet(hit.snippet)))))
      : h('p', {}, 'Nothing matched. Try another word.'));
}

async function render({ focus = false } = {}) {
  const params = new URLSearchParams(location.search);
  const slug = params.get('profession');
  const text = params.get('q');
  document.getElementById('search-text').value = text ?? '';
  renderProfessionList(slug);
  setStatus('Loading…');
  try {
    if (slug) await renderProfession(slug, params.get('step'));
    else if (params.get('role')) await renderRole(params.get('role'));
    else if (text) await renderSearch(text);
    else renderHome();
    setStatus('');
  } catch (error) {
    setStatus(`Could not load this view: ${error.message}`, true);
  }
  if (focus) main.focus();
}

function navigate(url) {
  history.pushState(null, '', url);
  render({ focus: true });
}

document.addEventListener('click', (event) => {
  const anchor = event.target.closest('a[data-nav]');
  if (!anchor || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(anchor.href);
});

document.getElementById('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = document.getElementById('search-text').value.trim();
  if (text) navigate(href({ q: text }));
});

window.addEventListener('popstate', () => render({ focus: true }));

/** Every profession, a page of the connection at a time. */
async function loadProfessions() {
  const all = [];
  let after = null;
  do {
    const { professions: connection } = await graphql(PROFESSIONS, after ? { after } : undefined);
    all.push(...connection.edges.map((edge) => edge.node));
    after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
  } while (after);
  return all;
}

/** Asks for the preview token; it goes to sessionStorage, never into the address. */
function askForToken(release, refused) {
  document.getElementById('profession-list').replaceChildren();
  const input = h('input', { type: 'password', id: 'preview-token', autocomplete: 'off', required: true });
  const form = h('form', { class: 'token-form' },
    h('h2', {}, `Preview release ${release}`),
    h('p', {}, 'This release may not be published yet. Enter the preview token to see it.'),
    refused ? h('p', { class: 'error', role: 'alert' }, 'The preview token was refused. Check it and try again.') : null,
    h('label', { for: 'preview-token' }, 'Preview token'),
    h('div', { class: 'search-row' }, input, h('button', { type: 'submit' }, 'Show the preview')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, input.value.trim());
    start();
  });
  show(`Preview release ${release}`, form);
  setStatus('');
  input.focus();
}

function showBanner(release) {
  document.querySelector('.preview-banner')?.remove();
  if (!release) return;
  const state = release.status === 'PUBLISHED' ? 'published' : 'not published';
  document.body.prepend(h('div', { class: 'preview-banner', role: 'note' },
    `Preview: release ${release.id}, ${state}`));
}

async function start() {
  const release = previewing();
  if (release && !sessionStorage.getItem(TOKEN_KEY)) {
    askForToken(release, false);
    return;
  }
  try {
    const [data, all] = await Promise.all([graphql(PAGE), loadProfessions()]);
    professions = all;
    if (data.page) page = data.page;
    document.getElementById('page-title').textContent = page.title;
    document.getElementById('page-intro').replaceChildren(...page.intro.map((line) => h('p', {}, line)));
    document.getElementById('release').textContent = data.release
      ? `Release ${data.release.id}, ${data.release.importedAt.slice(0, 10)}`
      : 'No release loaded';
    shownRelease = data.release?.id ?? null;
    showBanner(release ? data.release : null);
    if (release) followStaged();
  } catch (error) {
    if (error instanceof PreviewRefused) {
      sessionStorage.removeItem(TOKEN_KEY);
      askForToken(release, true);
      return;
    }
    setStatus(`Could not load the professions: ${error.message}`, true);
    return;
  }
  await render();
}

/** Tells a reader, politely, that what they see was replaced by a newer release. */
function showUpdateNotice() {
  revalidate = true;
  const region = document.getElementById('live-notice');
  if (region.querySelector('button')) return;
  const reload = h('button', { type: 'button' }, 'Reload');
  reload.addEventListener('click', async () => {
    region.replaceChildren();
    await start();
    main.focus();
  });
  region.replaceChildren(h('p', {}, 'This content has been updated. ', reload));
}

/** Listens for publications (public view only: a preview shows one release). */
function followPublications() {
  if (previewing() || !('EventSource' in window)) return;
  const events = new EventSource('/events');
  events.addEventListener('release.published', (event) => {
    let data = null;
    try { data = JSON.parse(event.data); } catch { return; }
    if (String(data?.release?.id) !== String(shownRelease)) showUpdateNotice();
  });
}

let following = false;

/**
 * In a preview, subscribes to staged releases over graphql-ws (the
 * graphql-transport-ws protocol, spoken here in a few lines) and moves the
 * preview to each newer one as it appears.
 */
function followStaged() {
  if (following || !('WebSocket' in window)) return;
  following = true;
  const url = new URL('/graphql', location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const send = (message) => socket.send(JSON.stringify(message));
  socket.addEventListener('open', () => send({
    type: 'connection_init',
    payload: { previewToken: sessionStorage.getItem(TOKEN_KEY) ?? '' },
  }));
  socket.addEventListener('message', (event) => {
    let message = null;
    try { message = JSON.parse(event.data); } catch { return; }
    if (message.type === 'connection_ack') send({ id: 'staged', type: 'subscribe', payload: { query: STAGED } });
    else if (message.type === 'ping') send({ type: 'pong' });
    else if (message.type === 'next') {
      const id = Number(message.payload?.data?.releaseStaged?.release?.id);
      if (id > Number(previewing())) showNewerStaged(id);
    }
  });
  socket.addEventListener('close', () => { following = false; });
}

/** Moves the preview to staged release `id`, saying so. */
async function showNewerStaged(id) {
  const params = new URLSearchParams(location.search);
  params.set('release', String(id));
  history.replaceState(null, '', `/?${params}`);
  await start();
  document.getElementById('live-notice').replaceChildren(
    h('p', {}, `Release ${id} was staged: the preview shows it now.`));
}

start();
followPublications();
