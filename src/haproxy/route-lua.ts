/**
 * The Lua half of rule lookup (see route-groups.ts), written beside haproxy.cfg as route.lua and
 * loaded with `lua-load-per-thread`, so each thread has its own state and no lock is shared.
 *
 * The converter `lua.portico_route` takes "<method> ?<group> <path> <query>\n<headers>" (headers as
 * HAProxy's req.hdrs gives them: "name: value\r\n" lines, names lower-cased, so every header line
 * and nothing else starts with "\n") and returns the target of the first candidate of the group
 * whose conditions all hold, or "not_found". An exact header or query match is one plain search.
 * A converter rather than a sample fetch or an action: HAProxy builds no transaction object for
 * it, which measured 26,000 against 6,000 instructions per call. Nothing the client sends is ever
 * parsed as part of a definition: definitions come from the groups map, and request fields only
 * from positions fixed by the frontend (method, path and query hold no space or newline; headers
 * come last).
 *
 * Parsed groups are kept by key, which is a hash of the definition (GroupTable): a changed group
 * has a new key, so a hit is never stale, and a hit costs no map lookup. Compiled regular
 * expressions are kept by their text. Both caches are emptied when they grow past a bound.
 */

/** The Lua source, with the groups map's path filled in. */
export function routeLua(groupsMap: string): string {
  return ROUTE_LUA.replace('@GROUPS_MAP@', luaString(groupsMap));
}

/**
 * A Lua string literal; the path is Portico's own directory, but it is escaped all the same.
 * Control characters become three-digit decimal escapes: Lua reads up to three digits, so a
 * shorter escape followed by a digit would turn into another character.
 */
export function luaString(value: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\u0000-\u001f\u007f]/g, (c) => `\\${String(c.charCodeAt(0)).padStart(3, '0')}`)}"`;
}

const ROUTE_LUA = String.raw`-- Portico: rule lookup for conditional matches. Generated; do not edit.
local groups = Map.new(@GROUPS_MAP@, Map._str)
local find, sub, byte, gsub, char = string.find, string.sub, string.byte, string.gsub, string.char

-- A table that forgets everything once it holds MAX_CACHED entries: memory stays bounded
-- whatever the traffic or the number of groups.
local MAX_CACHED = 10000
local function bounded_cache()
  local cache = { entries = {}, n = 0 }
  function cache.put(key, value)
    if cache.n >= MAX_CACHED then cache.entries, cache.n = {}, 0 end
    cache.entries[key] = value
    cache.n = cache.n + 1
    return value
  end
  return cache
end
local parsed = bounded_cache()
local regexes = bounded_cache()

local function unescape(s)
  return (gsub(s, "%%(%x%x)", function(h) return char(tonumber(h, 16)) end))
end

-- A compiled regular expression, or false when PCRE refuses it (the condition then never holds).
local function regex(source)
  local r = regexes.entries[source]
  if r ~= nil then return r end
  local ok, re = Regex.new(source, true)
  if not ok then core.Warning("portico: regular expression refused by PCRE: " .. source) end
  return regexes.put(source, ok and re or false)
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
        local c
        if kind == "h" then c = { kind, "\n" .. f[1] .. ": " .. f[2] .. "\r" }
        elseif kind == "H" then c = { kind, "\n" .. f[1] .. ": ", regex(f[2]) }
        elseif kind == "q" then c = { kind, "&" .. f[1] .. "=" .. f[2] .. "&" }
        elseif kind == "Q" then c = { kind, "&" .. f[1] .. "=", regex(f[2]) }
        elseif kind == "p" then c = { kind, regex(f[1]) }
        else c = { kind, f[1] } end
        rule.conds[#rule.conds + 1] = c
      end
      rules[#rules + 1] = rule
    end
  end
  return rules
end

local function rules_of(key)
  local r = parsed.entries[key]
  if r ~= nil then return r end
  local def = groups:lookup(key)
  if def == nil then return nil end
  return parsed.put(key, parse(def))
end

-- Regular expressions search the value, as HAProxy's "-m reg" does.
local function search(re, value)
  return re ~= false and re:exec(value)
end

-- Any occurrence of the header whose value the regular expression finds. Every header line, and
-- only a header line, starts with "\n" in the input.
local function header_regex(input, needle, re)
  local pos = 1
  while true do
    local s, e = find(input, needle, pos, true)
    if not s then return false end
    local eol = find(input, "\r", e + 1, true) or (#input + 1)
    if search(re, sub(input, e + 1, eol - 1)) then return true end
    pos = eol
  end
end

-- Any occurrence of the query parameter whose value the regular expression finds; "query" is the
-- query string between "&"s.
local function query_regex(query, needle, re)
  local pos = 1
  while true do
    local s, e = find(query, needle, pos, true)
    if not s then return false end
    local amp = find(query, "&", e + 1, true)
    if search(re, sub(query, e + 1, amp - 1)) then return true end
    pos = amp
  end
end

-- The input: "METHOD ?group path query\nheaders", headers as "name: value\r\n" lines with
-- lower-case names. Fields are cut out only when a condition needs them.
core.register_converters("portico_route", function(input)
  local s1 = find(input, " ", 1, true)
  local s2 = s1 and find(input, " ", s1 + 1, true)
  if not s2 then return "not_found" end
  local key = sub(input, s1 + 2, s2 - 1)
  local method, path, query, s3
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
        if kind == "h" then
          ok = find(input, c[2], 1, true) ~= nil
        elseif kind == "H" then
          ok = header_regex(input, c[2], c[3])
        elseif kind == "m" then
          if not method then method = sub(input, 1, s1 - 1) end
          ok = method == c[2]
        else
          if not s3 then s3 = find(input, " ", s2 + 1, true) end
          if kind == "p" then
            if not path then path = sub(input, s2 + 1, s3 - 1) end
            ok = search(c[2], path)
          else
            if not query then query = "&" .. sub(input, s3 + 1, (find(input, "\n", s3 + 1, true) or (#input + 1)) - 1) .. "&" end
            if kind == "q" then ok = find(query, c[2], 1, true) ~= nil else ok = query_regex(query, c[2], c[3]) end
          end
        end
        if not ok then break end
      end
      if ok then return rule.target end
    end
  end
  return "not_found"
end)
`;
