/**
 * Lua source of resty.lrucache (the API of lua-resty-lrucache 0.14): a
 * per-worker LRU cache with optional TTLs, written for this simulator.
 * Expiry reads ngx.now(), so it follows the worker's cached time.
 */
export const LRUCACHE_SOURCE = `
local _M = { _VERSION = "0.14" }
local mt = { __index = _M }

function _M.new(size)
  if size < 1 then return nil, "size too small" end
  local self = {
    size = size, n = 0, tick = 0,
    values = {}, expires = {}, flags = {}, used = {},
  }
  return setmetatable(self, mt)
end

local function evict_oldest(self)
  local oldest_key, oldest_tick
  for k, t in pairs(self.used) do
    if oldest_tick == nil or t < oldest_tick then oldest_key, oldest_tick = k, t end
  end
  if oldest_key ~= nil then self:delete(oldest_key) end
end

function _M.set(self, key, value, ttl, flags)
  if self.values[key] == nil then
    if self.n >= self.size then evict_oldest(self) end
    self.n = self.n + 1
  end
  self.tick = self.tick + 1
  self.values[key] = value
  self.used[key] = self.tick
  self.flags[key] = flags
  if ttl and ttl > 0 then self.expires[key] = ngx.now() + ttl else self.expires[key] = nil end
end

function _M.get(self, key)
  local value = self.values[key]
  if value == nil then return nil end
  local expires = self.expires[key]
  if expires and expires <= ngx.now() then
    local flags = self.flags[key]
    self:delete(key)
    return nil, value, flags
  end
  self.tick = self.tick + 1
  self.used[key] = self.tick
  return value, nil, self.flags[key]
end

function _M.delete(self, key)
  if self.values[key] == nil then return false end
  self.values[key], self.expires[key], self.flags[key], self.used[key] = nil, nil, nil, nil
  self.n = self.n - 1
  return true
end

function _M.count(self) return self.n end
function _M.capacity(self) return self.size end

function _M.flush_all(self)
  self.values, self.expires, self.flags, self.used, self.n = {}, {}, {}, {}, 0
end

function _M.get_keys(self, max_count, res)
  local keys = {}
  for k, t in pairs(self.used) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return self.used[a] > self.used[b] end)
  res = res or {}
  local limit = (max_count and max_count > 0) and max_count or #keys
  for i = 1, math.min(limit, #keys) do res[i] = keys[i] end
  return res
end

return _M
`;
