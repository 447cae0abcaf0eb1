/**
 * The Lua half of external authorization (auth.ts), written beside haproxy.cfg as ext-auth.lua.
 * The action `lua.portico_ext_auth <service>` asks the service about the request through
 * HAProxy's HTTP client, over the service's internal socket, and then lets the request go on,
 * with headers of the answer copied onto it, or answers the client itself. Every value comes
 * from Portico's rendering as a Lua string literal; nothing the client sends is evaluated.
 */
import type { IRExtAuth } from '../ir/model.js';
import { luaString } from './route-lua.js';

/** Set by the internal backend on answers HAProxy makes itself: the service failed, it did not refuse. */
export const EXT_AUTH_ERROR_HEADER = 'x-portico-ext-auth-error';

/** One service as the Lua action knows it: the IR's settings, with where to reach it. */
export interface ExtAuthService extends Pick<IRExtAuth, 'timeoutMs' | 'forwardHeaders' | 'addHeaders' | 'backendHeaders' | 'failOpen' | 'statusOnError'> {
  /** The internal frontend's name: the action's argument. */
  name: string;
  socket: string;
  pathPrefix: string;
}

const list = (values: readonly string[]): string => `{ ${values.map(luaString).join(', ')} }`;

function serviceEntry(s: ExtAuthService): string {
  const socket = s.socket.replace(/^unix@/, '');
  return [
    `  [${luaString(s.name)}] = {`,
    `    dst = ${luaString(`unix@${socket}`)},`,
    `    prefix = ${luaString(s.pathPrefix)},`,
    `    timeout = ${Math.trunc(s.timeoutMs)},`,
    `    forward = ${list(s.forwardHeaders)},`,
    `    add = { ${s.addHeaders.map((h) => `{ ${luaString(h.name)}, ${luaString(h.value)} }`).join(', ')} },`,
    `    to_backend = ${list(s.backendHeaders)},`,
    `    fail_open = ${s.failOpen ? 'true' : 'false'},`,
    `    status_on_error = ${Math.trunc(s.statusOnError)},`,
    '  },',
  ].join('\n');
}

export function extAuthLua(services: readonly ExtAuthService[]): string {
  return EXT_AUTH_LUA.replace('@SERVICES@', services.map(serviceEntry).join('\n')).replace('@ERROR_HEADER@', luaString(EXT_AUTH_ERROR_HEADER));
}

const EXT_AUTH_LUA = String.raw`-- Portico: external authorization (TrafficPolicy extAuth). Generated; do not edit.
local services = {
@SERVICES@
}
local ERROR_HEADER = @ERROR_HEADER@
-- Headers about the service's connection rather than its answer: not passed to the client.
local HOP = { connection = true, ["keep-alive"] = true, ["transfer-encoding"] = true, ["content-length"] = true,
  te = true, trailer = true, upgrade = true, ["proxy-connection"] = true }
-- The methods HAProxy's HTTP client can send; the question uses the request's own when it can.
local METHODS = { GET = "get", HEAD = "head", POST = "post", PUT = "put", DELETE = "delete" }

-- HAProxy's header tables count values from 0.
local function values(t)
  local out, i = {}, 0
  while t[i] ~= nil do
    out[#out + 1] = t[i]
    i = i + 1
  end
  return out
end

local function answer(txn, status, headers, body)
  txn:done(txn:reply({ status = status, headers = headers, body = body }))
end

core.register_action("portico_ext_auth", { "http-req" }, function(txn, name)
  local s = services[name]
  if s == nil then return answer(txn, 500, {}, "") end
  local request = txn.http:req_get_headers()
  local headers = {}
  for _, h in ipairs(s.forward) do
    local v = request[h]
    if v ~= nil then headers[h] = values(v) end
  end
  for _, h in ipairs(s.add) do headers[h[1]] = { h[2] } end
  -- HAProxy 2.6's HTTP client may hand an idle connection to a request for another destination:
  -- a question to one service could reach another. No connection is left idle.
  headers["connection"] = { "close" }
  local path = txn.sf:path() or "/"
  local query = txn.sf:query()
  if query ~= nil and query ~= "" then path = path .. "?" .. query end
  local hc = core.httpclient()
  local send = hc[METHODS[txn.sf:method()] or "get"]
  local ok, res = pcall(send, hc, { url = "http://ext-auth" .. s.prefix .. path, dst = s.dst, headers = headers, timeout = s.timeout })
  if not ok or res == nil or res.status == nil or res.status == 0 or (res.headers ~= nil and res.headers[ERROR_HEADER] ~= nil) then
    if s.fail_open then return end
    return answer(txn, s.status_on_error, {}, "")
  end
  if res.status >= 200 and res.status < 300 then
    for _, h in ipairs(s.to_backend) do
      local v = res.headers[h]
      if v ~= nil then
        txn.http:req_del_header(h)
        for _, value in ipairs(values(v)) do txn.http:req_add_header(h, value) end
      end
    end
    return
  end
  local out = {}
  for h, v in pairs(res.headers or {}) do
    if not HOP[h] and h ~= ERROR_HEADER then out[h] = values(v) end
  end
  return answer(txn, res.status, out, res.body or "")
end, 1)
`;
