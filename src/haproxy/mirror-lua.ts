/**
 * The Lua half of the RequestMirror filter (see mirror.ts), written beside haproxy.cfg as
 * mirror.lua and loaded with `lua-load`. Kept as a string because the build only compiles .ts.
 *
 * The action `lua.portico_mirror <backend> <address>` copies the request as HAProxy holds it at
 * that point (method, path and query, headers, Host, buffered body) and hands the copy to a task
 * of its own, so the request goes on at once: it neither waits for the mirror nor fails with it.
 * The task sends the copy with HAProxy's httpclient to Portico's internal mirror frontend at
 * <address>, which restores what the httpclient cannot send itself and routes the copy to
 * <backend>; the answer is dropped.
 *
 * Header names and values travel as table data and are never parsed or pasted into text.
 */
export const MIRROR_LUA = String.raw`-- Portico: HTTPRoute RequestMirror. Generated; do not edit.

-- Copies waiting for their mirror at most; more are dropped so a slow mirror cannot pile up memory.
local MAX_IN_FLIGHT = 1000
-- The mirror backend answers or times out well before this (its "timeout server" is shorter).
local TIMEOUT_MS = 30000
-- Bodies without Content-Length are copied only up to this size: HAProxy 2.6 cannot tell whether
-- such a body is complete once the request buffer is full, and a cut body makes another request.
local MAX_UNSIZED_BODY = 8192
-- What the internal frontend needs to know: "<backend> <method> <flags>".
local META = "x-portico-mirror"
-- Hop-by-hop fields; the httpclient frames the copy itself.
local DROP = {
  connection = true, ["keep-alive"] = true, ["proxy-connection"] = true, te = true, trailer = true,
  ["transfer-encoding"] = true, upgrade = true, expect = true, [META] = true,
}

local in_flight = 0
local failures = 0

-- HAProxy 2.6 keeps a registry reference to every function given to core.register_task and
-- never drops it (fixed in 2.8): each task's closure, and the copy it holds, would stay in memory
-- for good. A task removes that reference itself; where HAProxy already did, nothing is found.
local function forget(fn)
  local registry = debug.getregistry()
  for key, value in pairs(registry) do
    if value == fn then
      registry[key] = nil
      return
    end
  end
end

-- Logs the 1st, 10th, 100th... problem only: one per copy would flood the log.
local function report(what)
  failures = failures + 1
  local n = failures
  while n % 10 == 0 do n = n // 10 end
  if n == 1 then core.Warning("request mirror: " .. failures .. " copies lost so far; latest: " .. what) end
end

-- req_get_headers() numbers each header's values from 0; the httpclient wants a Lua array.
local function header_table(txn)
  local out = {}
  for name, values in pairs(txn.http:req_get_headers()) do
    if not DROP[name] then
      local list = {}
      for i = 0, #values do
        if values[i] ~= nil then list[#list + 1] = values[i] end
      end
      out[name] = list
    end
  end
  return out
end

-- The buffered body, or nil when it is not the whole body.
local function whole_body(txn, headers)
  local body = txn.sf:req_body() or ""
  local announced = tonumber(txn.sf:req_body_size() or 0) or 0
  if announced ~= #body then return nil end
  if headers["content-length"] == nil and #body > MAX_UNSIZED_BODY then return nil end
  return body
end

local function send(request, method)
  local client = core.httpclient()
  -- A HEAD answer has no body whatever its Content-Length says, which only the asker knows.
  if method == "HEAD" then return client:head(request) end
  return client:post(request)
end

local function mirror(txn, backend, address)
  if in_flight >= MAX_IN_FLIGHT then
    report("too many copies waiting for their mirror")
    return
  end
  local method = txn.sf:method()
  local pathq = txn.sf:pathq()
  if pathq == nil or method == "CONNECT" then return end
  local headers = header_table(txn)
  local body = whole_body(txn, headers)
  if body == nil then return end
  -- The httpclient adds Accept and User-Agent when missing; the frontend removes them again.
  local flags = (headers["accept"] == nil and "a" or "") .. (headers["user-agent"] == nil and "u" or "")
  -- It only sends a few methods: copies go as POST (or HEAD), the frontend restores the method.
  headers[META] = { backend .. " " .. method .. " " .. (flags == "" and "-" or flags) }
  -- One connection to the frontend per copy. The httpclient would keep its connection, and with it
  -- the frontend's session, which holds on to its server connection even after the mirror's
  -- endpoint changes address through the runtime API: copies would keep going to the old endpoint.
  headers.connection = { "close" }
  local request = { url = "http://mirror" .. pathq, headers = headers, dst = address, timeout = TIMEOUT_MS }
  if #body > 0 then request.body = body end

  in_flight = in_flight + 1
  local task
  task = function()
    forget(task)
    local ok, err = pcall(send, request, method)
    in_flight = in_flight - 1
    if not ok then report(tostring(err)) end
  end
  core.register_task(task)
end

core.register_action("portico_mirror", { "http-req" }, mirror, 2)
`;
