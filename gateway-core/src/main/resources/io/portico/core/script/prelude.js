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

  function headerBag(list) {
    let entries = list.map(([name, value]) => [String(name), String(value)]);
    const lower = (name) => String(name).toLowerCase();
    return Object.freeze({
      get(name) { const wanted = lower(name); const found = entries.find((e) => e[0].toLowerCase() === wanted); return found ? found[1] : null; },
      all(name) { const wanted = lower(name); return entries.filter((e) => e[0].toLowerCase() === wanted).map((e) => e[1]); },
      has(name) { return this.get(name) !== null; },
      set(name, value) { this.remove(name); entries.push([String(name), String(value)]); },
      add(name, value) { entries.push([String(name), String(value)]); },
      remove(name) { const wanted = lower(name); entries = entries.filter((e) => e[0].toLowerCase() !== wanted); },
      names() { return [...new Set(entries.map((e) => e[0]))]; },
      list() { return entries; },
    });
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

  function exchangeOf(data, request, attributes) {
    return Object.freeze({
      requestId: data.requestId,
      clientAddress: data.clientAddress,
      route: data.route,
      pathVariables: Object.freeze(data.pathVariables),
      consumer: data.consumer ? Object.freeze(data.consumer) : null,
      attributes,
      request,
      queryParam: (name) => queryParam(request.query, name),
    });
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

  // the filter's own config: the same script may serve several routes, each with its own
  function begin(input) {
    logs = [];
    const data = parse(input);
    global.config = Object.freeze(parse(data.config));
    return data;
  }

  Object.defineProperty(global, '__portico_onRequest', { value: function (input, readBody) {
    const data = begin(input);
    const request = { method: data.method, path: data.path, query: data.query, headers: headerBag(data.headers), body: bodyOf(() => readBody()) };
    const attributes = Object.assign({}, data.attributes);
    const result = global.onRequest(exchangeOf(data, request, attributes));
    const respondWith = answer(result);
    return stringify({
      respond: respondWith,
      request: { method: String(request.method), path: String(request.path), query: request.query == null ? null : String(request.query),
        headers: request.headers.list(), body: request.body.changed ? request.body.value : null, bodyChanged: request.body.changed },
      attributes, logs,
    });
  } });

  Object.defineProperty(global, '__portico_onResponse', { value: function (input, readBody) {
    const data = begin(input);
    const request = Object.freeze({ method: data.method, path: data.path, query: data.query, headers: headerBag(data.headers) });
    const attributes = Object.assign({}, data.attributes);
    const response = { status: data.status, headers: headerBag(data.responseHeaders), body: bodyOf(() => readBody()) };
    const result = global.onResponse(exchangeOf(data, request, attributes), response);
    return stringify({
      respond: answer(result),
      response: { status: response.status, headers: response.headers.list(), body: response.body.changed ? response.body.value : null,
        bodyChanged: response.body.changed },
      attributes, logs,
    });
  } });
})(globalThis);
