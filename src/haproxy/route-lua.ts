/**
 * The Lua half of rule lookup (see route-groups.ts), written beside haproxy.cfg as route.lua and
 * loaded with `lua-load-per-thread`, so each thread has its own state and no lock is shared.
 *
 * The converter `lua.portico_route` takes "?<group> <method> <path> <query> <headers>" (headers as
 * HAProxy's req.hdrs gives them: "name: value\r\n" lines, names lower-cased) and returns the target
 * of the first candidate of the group whose conditions all hold, or "not_found". A converter
 * rather than a sample fetch or an action: HAProxy builds no transaction object for it, which
 * measured 26,000 against 6,000 instructions per call. Nothing the client sends is ever parsed as
 * part of a definition: definitions come from the groups map, and request fields only from
 * positions fixed by the frontend (method, path and query hold no space; headers come last).
 *
 * Parsed groups and compiled regular expressions are kept per definition text, so a group changed
 * through the runtime API (`set map`) is parsed again; both caches are emptied when they grow
 * past a bound.
 */

/** The Lua source, with the groups map's path filled in. */
export function routeLua(groupsMap: string): string {
  return ROUTE_LUA.replace('@GROUPS_MAP@', luaString(groupsMap));
}

/** A Lua string literal; the path is Portico's own directory, but it is escaped all the same. */
function luaString(value: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\u0000-\u001f\u007f]/g, (c) => `\\${c.charCodeAt(0)}`)}"`;
}

const ROUTE_LUA = String.raw`-- Portico: rule lookup for conditional matches. Generated; do not edit.
local groups = Map.new(@GROUPS_MAP@, Map._str)
local find, sub, byte, gsub, char = string.find, string.sub, string.byte, string.gsub, string.char

local MAX_CACHED = 10000
local parsed, nparsed = {}, 0
local regexes, nregexes = {}, 0

local function unescape(s)
  return (gsub(s, "%%(%x%x)", function(h) return char(tonumber(h, 16)) end))
end

-- A compiled regular expression, or false when PCRE refuses it (the condition then never holds).
local function regex(source)
  local r = regexes[source]
  if r == nil then
    local ok, re = Regex.new(source, true)
    r = ok and re or false
    if not ok then core.Warning("portico: regular expression refused by PCRE: " .. source) end
    if nregexes >= MAX_CACHED then regexes, nregexes = {}, 0 end
    regexes[source] = r
    nregexes = nregexes + 1
  end
  return r
end

local function fields(text)
  local out = {}
  local pos = 1
  while true do
    local e = find(text, "=", pos, true)
    if not e then
      out[#out + 1] = unescape(sub(text, pos))
      return out
    end
    out[#out + 1] = unescape(sub(text, pos, e - 1))
    pos = e + 1
  end
end

-- "conds>target;conds>target;+next" into { { target = ..., conds = { {kind, a, b}, ... } }, ... }
local function parse(def)
  local rules = {}
  for item in string.gmatch(def, "[^;]+") do
    if byte(item, 1) == 43 then -- "+": the list goes on under another key
      rules[#rules + 1] = { more = sub(item, 2) }
    else
      local gt = find(item, ">[^>]*$")
      local rule = { target = sub(item, gt + 1), conds = {} }
      for cond in string.gmatch(sub(item, 1, gt - 1), "[^,]+") do
        local f = fields(sub(cond, 3))
        local kind = sub(cond, 1, 1)
        if kind == "p" or kind == "H" or kind == "Q" then f[#f] = regex(f[#f]) end
        rule.conds[#rule.conds + 1] = { kind, f[1], f[2] }
      end
      rules[#rules + 1] = rule
    end
  end
  return rules
end

local function rules_of(key)
  local def = groups:lookup(key)
  if def == nil then return nil end
  local r = parsed[def]
  if r == nil then
    r = parse(def)
    if nparsed >= MAX_CACHED then parsed, nparsed = {}, 0 end
    parsed[def] = r
    nparsed = nparsed + 1
  end
  return r
end

local function value_matches(kind, value, want)
  if kind == "h" or kind == "q" then return value == want end
  return want ~= false and want:exec(value)
end

-- Any occurrence of the header, as HAProxy's ACLs look at every occurrence.
local function header_matches(input, from, kind, name, want)
  local prefix = name .. ": "
  local n = #prefix
  local pos = from
  while true do
    local e = find(input, "\r\n", pos, true)
    if not e then return false end
    if e - pos >= n and sub(input, pos, pos + n - 1) == prefix and value_matches(kind, sub(input, pos + n, e - 1), want) then
      return true
    end
    pos = e + 2
  end
end

-- Any occurrence of the parameter in the query string ("a=1&b=2").
local function query_matches(query, kind, name, want)
  local prefix = name .. "="
  local n = #prefix
  for param in string.gmatch(query, "[^&]+") do
    if sub(param, 1, n) == prefix and value_matches(kind, sub(param, n + 1), want) then return true end
  end
  return false
end

core.register_converters("portico_route", function(input)
  local s1 = find(input, " ", 1, true)
  local s2 = s1 and find(input, " ", s1 + 1, true)
  local s3 = s2 and find(input, " ", s2 + 1, true)
  local s4 = s3 and find(input, " ", s3 + 1, true)
  if not s4 then return "not_found" end
  local method = sub(input, s1 + 1, s2 - 1)
  local path = sub(input, s2 + 1, s3 - 1)
  local query = sub(input, s3 + 1, s4 - 1)
  local key = sub(input, 2, s1 - 1)
  local depth = 0
  while key and depth < 64 do
    depth = depth + 1
    local rules = rules_of(key)
    if rules == nil then return "not_found" end
    key = nil
    for _, rule in ipairs(rules) do
      if rule.more then
        key = rule.more
        break
      end
      local ok = true
      for _, c in ipairs(rule.conds) do
        local kind = c[1]
        if kind == "m" then ok = method == c[2]
        elseif kind == "p" then ok = c[2] ~= false and c[2]:exec(path)
        elseif kind == "h" or kind == "H" then ok = header_matches(input, s4 + 1, kind, c[2], c[3])
        else ok = query_matches(query, kind, c[2], c[3]) end
        if not ok then break end
      end
      if ok then return rule.target end
    end
  end
  return "not_found"
end)
`;
