/**
 * Lua source of resty.lock (the API of lua-resty-lock 0.09): a lock on a
 * key of a shared dict, taken with dict:add and waited for by sleeping
 * with an exponential backoff, written for this simulator.
 */
export const RESTY_LOCK_SOURCE = `
local _M = { _VERSION = "0.09" }
local mt = { __index = _M }

function _M.new(_, dict_name, opts)
  local dict = ngx.shared[dict_name]
  if not dict then return nil, "dictionary not found" end
  opts = opts or {}
  local self = {
    dict = dict,
    exptime = opts.exptime or 30,
    timeout = opts.timeout or 5,
    step = opts.step or 0.001,
    ratio = opts.ratio or 2,
    max_step = opts.max_step or 0.5,
  }
  return setmetatable(self, mt)
end

function _M.lock(self, key)
  if key == nil then return nil, "nil key" end
  if self.key then return nil, "locked" end
  local dict, exptime = self.dict, self.exptime
  local ok, err = dict:add(key, true, exptime)
  if ok then
    self.key = key
    return 0
  end
  if err ~= "exists" then return nil, err end
  local timeout, step, elapsed = self.timeout, self.step, 0
  while timeout > 0 do
    if step > timeout then step = timeout end
    ngx.sleep(step)
    elapsed = elapsed + step
    timeout = timeout - step
    ok, err = dict:add(key, true, exptime)
    if ok then
      self.key = key
      return elapsed
    end
    if err ~= "exists" then return nil, err end
    if timeout <= 0 then break end
    step = step * self.ratio
    if step <= 0 then step = 0.001 end
    if step > self.max_step then step = self.max_step end
  end
  return nil, "timeout"
end

function _M.unlock(self)
  local key = self.key
  if not key then return nil, "unlocked" end
  self.key = nil
  local ok, err = self.dict:delete(key)
  if not ok then return nil, err end
  return 1
end

function _M.expire(self, time)
  local key = self.key
  if not key then return nil, "unlocked" end
  local ok, err = self.dict:replace(key, true, time or self.exptime)
  if not ok then return nil, err end
  return true
end

return _M
`;
