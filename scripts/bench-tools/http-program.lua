-- wrk script for scripts/bench: GET /v1/programs/{id}, ids drawn at random from the
-- file named by the first script argument (one id per line).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  -- thread_number: each thread its own random sequence
  math.randomseed(os.time() * 100 + (thread_number or 0))
  ids = {}
  assert(args[1], "usage: wrk … -s http-program.lua URL -- IDS_FILE")
  for line in io.lines(args[1]) do
    ids[#ids + 1] = line
  end
  assert(#ids > 0, "no ids in " .. args[1])
end

function request()
  return wrk.format("GET", "/v1/programs/" .. ids[math.random(#ids)])
end
