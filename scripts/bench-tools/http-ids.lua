-- wrk script for scripts/bench: GET a path with a record id drawn at random per request.
-- Arguments: a file of ids (one per line), the path with "{id}" where the id goes, and an
-- optional bearer token (e.g. /v1/programs/{id}, or a recommendation route as the bureau).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  -- thread_number: each thread its own random sequence
  math.randomseed(os.time() * 100 + (thread_number or 0))
  ids = {}
  assert(args[1] and args[2], "usage: wrk … -s http-ids.lua URL -- IDS_FILE PATH [TOKEN]")
  for line in io.lines(args[1]) do
    ids[#ids + 1] = line
  end
  assert(#ids > 0, "no ids in " .. args[1])
  prefix, suffix = args[2]:match("^(.*){id}(.*)$")
  assert(prefix, "the path must contain {id}: " .. args[2])
  if args[3] then wrk.headers["Authorization"] = "Bearer " .. args[3] end
end

function request()
  return wrk.format("GET", prefix .. ids[math.random(#ids)] .. suffix)
end
