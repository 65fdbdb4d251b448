// Portico's side of a js filter's context: runs before the user's script, in the same global
// scope. It removes what a sandboxed script must not reach, defines respond() and log, and the two
// entry points the gateway calls. Only strings cross between the gateway and the script.
(function (global) {
  'use strict';
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  const MAX_ELEMENTS = 1000000;

  for (const name of ['Java', 'java', 'javax', 'javafx', 'Packages', 'com', 'org', 'net', 'edu', 'Polyglot',
    'Graal', 'load', 'loadWithNewGlobal', 'print', 'printErr', 'quit', 'exit', 'readline', 'readFully', 'read',
    'readbuffer', 'console']) {
    try { delete global[name]; } catch (e) { /* not configurable: shadowed below */ }
    if (name in global) {
      try { Object.defineProperty(global, name, { value: undefined, writable: false, configurable: false }); } catch (e) { }
    }
  }

  // builtins that build a whole array in one statement: bounded, so one call cannot fill the heap
  const fill = Array.prototype.fill;
  Object.defineProperty(Array.prototype, 'fill', { value: function (...args) {
    if (this.length > MAX_ELEMENTS) throw new RangeError('arrays in js filters hold at most ' + MAX_ELEMENTS + ' elements');
    return fill.apply(this, args);
  }, writable: false, configurable: false });
  const from = Array.from;
  Object.defineProperty(Array, 'from', { value: function (source, ...rest) {
    if (source != null && source.length > MAX_ELEMENTS) throw new RangeError('arrays in js filters hold at most ' + MAX_ELEMENTS + ' elements');
    return from.call(this, source, ...rest);
  }, writable: false, configurable: false });

  let logs = [];
  const say = (level) => (...parts) => { if (logs.length < 100) logs.push([level, parts.map(String).join(' ').slice(0, 2000)]); };
  Object.defineProperty(global, 'log', { value: Object.freeze({ debug: say('debug'), info: say('info'), warn: say('warn'), error: say('error') }) });

  const RESPOND = Symbol('respond');
  Object.defineProperty(global, 'respond', { value: function respond(status, body, headers) {
    return { [RESPOND]: true, status, body, headers };
  } });

  // Headers cross as one string, "name\nvalue\nname\nvalue" (a header never holds a line break),
  // asked for and split only when the script reads them. What a script changes goes back as a
  // list of changes, "S|A|R\nname\nvalue" each, that the gateway applies to the headers it has:
  // a script that only sets a header costs neither a split nor a rebuild. The objects made per
  // call are plain classes, not frozen: freezing costs more than the whole call.
  const lower = (name) => String(name).toLowerCase();
  const field = (what, text) => {
    const value = String(text);
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) throw new TypeError('a header ' + what + ' holds no line break');
    return value;
  };
  const change = (entries, kind, name, value) => {
    if (kind !== 'A') {
      const wanted = name.toLowerCase();
      entries = entries.filter((e) => e[0].toLowerCase() !== wanted);
    }
    if (kind !== 'R') entries.push([name, value]);
    return entries;
  };
  class HeaderBag {
    constructor(read) { this._read = read; this._entries = null; this._changes = null; }
    _all() {
      if (this._entries === null) {
        let entries = [];
        const flat = this._read();
        if (flat.length > 0) {
          const parts = flat.split('\n');
          for (let i = 0; i + 1 < parts.length; i += 2) entries.push([parts[i], parts[i + 1]]);
        }
        const changes = this._changes || [];
        for (let i = 0; i < changes.length; i += 3) entries = change(entries, changes[i], changes[i + 1], changes[i + 2]);
        this._entries = entries;
      }
      return this._entries;
    }
    _change(kind, name, value) {
      if (this._changes === null) this._changes = [];
      this._changes.push(kind, name, value);
      if (this._entries !== null) this._entries = change(this._entries, kind, name, value);
    }
    get(name) { const wanted = lower(name); const found = this._all().find((e) => e[0].toLowerCase() === wanted); return found ? found[1] : null; }
    all(name) { const wanted = lower(name); return this._all().filter((e) => e[0].toLowerCase() === wanted).map((e) => e[1]); }
    has(name) { return this.get(name) !== null; }
    set(name, value) { this._change('S', field('name', name), field('value', value)); }
    add(name, value) { this._change('A', field('name', name), field('value', value)); }
    remove(name) { this._change('R', field('name', name), ''); }
    names() { return [...new Set(this._all().map((e) => e[0]))]; }
    list() { return this._all(); }
    get changed() { return this._changes !== null; }
    changes() { return this._changes.join('\n'); }
  }
  function headerBag(read) {
    return new HeaderBag(read);
  }

  function bodyOf(read) {
    let text;
    let json;
    let changed = false;
    return {
      text() { if (text === undefined) { text = read(); } return text; },
      json() { if (json === undefined) { json = parse(this.text()); } return json; },
      set(value) { changed = true; json = undefined; text = typeof value === 'string' ? value : stringify(value); },
      get changed() { return changed; },
      get value() { return text; },
    };
  }

  function queryParam(query, name) {
    if (!query) return null;
    for (const pair of query.split('&')) {
      const at = pair.indexOf('=');
      const key = decodeURIComponent((at < 0 ? pair : pair.slice(0, at)).replace(/\+/g, ' '));
      if (key === name) return at < 0 ? '' : decodeURIComponent(pair.slice(at + 1).replace(/\+/g, ' '));
    }
    return null;
  }

  // What the gateway knows of the request beyond method, path, query and headers comes as JSON,
  // asked for and parsed only when the script looks at it.
  class ExchangeView {
    constructor(readMeta, request, state) { this._readMeta = readMeta; this._meta = null; this._state = state; this.request = request; }
    _m() { return this._meta || (this._meta = parse(this._readMeta())); }
    get requestId() { return this._m().requestId; }
    get clientAddress() { return this._m().clientAddress; }
    get route() { return this._m().route; }
    get pathVariables() { return this._m().pathVariables; }
    get consumer() { return this._m().consumer; }
    get attributes() {
      if (this._state.attributes === null) this._state.attributes = Object.assign({}, this._m().attributes);
      return this._state.attributes;
    }
    queryParam(name) { return queryParam(this.request.query, name); }
  }
  function exchangeOf(readMeta, request, state) {
    return new ExchangeView(readMeta, request, state);
  }

  function answer(result) {
    if (result === undefined || result === null) return null;
    if (typeof result !== 'object' || result[RESPOND] !== true) return { garbage: String(typeof result) };
    const headers = [];
    if (result.headers && typeof result.headers === 'object') {
      for (const name of Object.keys(result.headers)) headers.push([name, String(result.headers[name])]);
    }
    let body = result.body;
    if (body !== undefined && body !== null && typeof body !== 'string') {
      body = stringify(body);
      if (!headers.some((h) => h[0].toLowerCase() === 'content-type')) headers.push(['Content-Type', 'application/json']);
    }
    return { status: result.status, body: body === undefined ? null : body, headers };
  }

  // the filter's own config: the same script may serve several routes, each with its own; parsed
  // again only when it differs from the last call's
  let configText = null;
  let configValue = null;
  function begin(config) {
    logs = [];
    if (config !== configText) {
      configValue = Object.freeze(parse(config));
      configText = config;
    }
    global.config = configValue;
    return { attributes: null };
  }

  // Only what the script changed goes back (null when it changed nothing), as JSON text.
  function finish(out, respondWith, state) {
    if (respondWith !== null) out.respond = respondWith;
    if (state.attributes !== null) out.attributes = state.attributes;
    if (logs.length > 0) out.logs = logs;
    for (const key in out) return stringify(out);
    return null;
  }

  function bodyChanges(out, body) {
    if (body.changed) {
      out.body = body.value;
      out.bodyChanged = true;
    }
  }

  Object.defineProperty(global, '__portico_onRequest', { value: function (meta, config, method, path, query, headers, readBody) {
    const state = begin(config);
    const request = { method, path, query, headers: headerBag(headers), body: bodyOf(() => readBody()) };
    const result = global.onRequest(exchangeOf(meta, request, state));
    const out = {};
    if (request.method !== method) out.method = String(request.method);
    if (request.path !== path) out.path = String(request.path);
    if (request.query !== query) out.query = request.query == null ? null : String(request.query);
    if (request.headers.changed) out.headers = request.headers.changes();
    bodyChanges(out, request.body);
    return finish(out, answer(result), state);
  } });

  Object.defineProperty(global, '__portico_onResponse', { value: function (meta, config, method, path, query, headers, status,
    responseHeaders, readBody) {
    const state = begin(config);
    const request = { method, path, query, headers: headerBag(headers) };
    const response = { status, headers: headerBag(responseHeaders), body: bodyOf(() => readBody()) };
    const result = global.onResponse(exchangeOf(meta, request, state), response);
    const out = {};
    if (response.status !== status) out.status = response.status;
    if (response.headers.changed) out.headers = response.headers.changes();
    bodyChanges(out, response.body);
    return finish(out, answer(result), state);
  } });
})(globalThis);
