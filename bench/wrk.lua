-- wrk script for bench/run.py (benchmark 6). Read from the environment:
--   BENCH_COOKIES  session cookies, "|"-separated; each request takes the next (one session per connection-ish,
--                  as real users have theirs, so no two requests fight over one session row)
--   BENCH_CSRF     the CSRF secret: sent as the csrftoken cookie and as the form's csrfmiddlewaretoken
--   BENCH_MODE     "get" (GET the URL) or "enrol" (POST the agent's enrol form with a new, valid NIK each time)
--   BENCH_SALT     a number that keeps this run's NIKs apart from earlier runs'
-- done() prints one JSON line with the figures bench/run.py reads.

local cookies = {}
for cookie in string.gmatch(os.getenv("BENCH_COOKIES") or "", "[^|]+") do
  table.insert(cookies, cookie)
end
local csrf = os.getenv("BENCH_CSRF") or ""
local mode = os.getenv("BENCH_MODE") or "get"
local salt = tonumber(os.getenv("BENCH_SALT") or "0")

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("thread_index", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  threads_total = tonumber(os.getenv("BENCH_THREADS") or "1")
end

-- A valid NIK that agrees with the birth date and gender sent: region 337401, Semarang Tengah (no data set uses it),
-- DDMMYY of a birth date between 1960 and 1999, serial from 0001; unique for every request of a run.
local function nik_and_birth_date(n)
  local day = 1 + n % 28
  local month = 1 + math.floor(n / 28) % 12
  local year = 1960 + math.floor(n / 336) % 40
  local serial = 1 + math.floor(n / 13440)
  local nik = string.format("337401%02d%02d%02d%04d", day, month, year % 100, serial)
  return nik, string.format("%04d-%02d-%02d", year, month, day)
end

function request()
  counter = counter + 1
  local cookie = cookies[1 + (counter + thread_index) % #cookies]
  local headers = {}
  if cookie then
    headers["Cookie"] = cookie .. "; csrftoken=" .. csrf
  end
  if mode ~= "enrol" then
    return wrk.format("GET", nil, headers)
  end
  local n = salt + counter * threads_total + thread_index
  local nik, birth_date = nik_and_birth_date(n)
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  local body = "csrfmiddlewaretoken=" .. csrf .. "&nik=" .. nik .. "&full_name=Pekerja+Uji+" .. n
    .. "&birth_date=" .. birth_date .. "&gender=M&phone=081200000000&address=&kecamatan=Kecamatan+1&desa="
    .. "&occupation=farmer&declared_income=1000000"
  return wrk.format("POST", nil, headers, body)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, '
      .. '"non_2xx_3xx": %d, "connect_errors": %d, "read_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, errors.status, errors.connect, errors.read, errors.timeout))
end
