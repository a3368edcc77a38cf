-- wrk script for scripts/bench: GET /v1/demands?region_code=…&limit=50, cycling through
-- the region codes in the file named by the first script argument (one code per line).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  codes = {}
  assert(args[1], "usage: wrk … -s http-demands.lua URL -- CODES_FILE")
  for line in io.lines(args[1]) do
    codes[#codes + 1] = line
  end
  assert(#codes > 0, "no region codes in " .. args[1])
  next_code = thread_number or 0 -- threads start at different codes
end

function request()
  next_code = next_code % #codes + 1
  return wrk.format("GET", "/v1/demands?region_code=" .. codes[next_code] .. "&limit=50")
end
