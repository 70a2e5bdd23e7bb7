"""Load benchmark of the main pages: 20 concurrent users on a 100 000-person region (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nms_bench .venv/bin/python bench/bench_pages.py
        [--quick (or NMS_QUICK=1)] [--users 20] [--run-time 150] [--max-requests 30000]
        [--p95-limit 500] [--ratio-limit 5] [--roles R,…] [--pages P,…] [--markdown]
        [--database-url URL] [--migrate] [--driver wrk|locust] [--worker-class sync|gthread]

Needs PostgreSQL and the load tool: Debian's wrk (`apt-get install wrk`; the default: written in C,
it takes a small share of a core the server would otherwise lack) or locust (`--driver locust`,
`pip install -e '.[bench]'`; its gevent users cost a good part of a core at 40 answers/s). Steps:

1. The database (created if missing) is reused when the demo ministry account's region already
   holds the region; an empty database is migrated and gets `nms generate-region --municipalities
   40 --organizations 2600 --people 100000 --seed 7` (with --quick: `nms demo-bootstrap`, the
   11 500-person demo region). A database with another region is refused. A reused database is
   never written to: pending migrations are only reported (--migrate applies them).
2. gunicorn (`nms.wsgi`, 2 sync workers — --worker-class gthread: 2 threads each —, DEBUG off,
   static files by whitenoise) on a free
   loopback port; stopped at the end.
3. Logs in as each demo role (ministry, cnppm, methodist, municipal, school, teacher) and fetches
   every page once as each role: this checks the answers and warms the workers up. A page that
   answers 403 or 404 is not that role's page and is left out (listed); any other answer but 200
   (a redirect to the login page, an error) is a failure.
4. The load tool drives --users concurrent users (each one role, the roles in turn; with wrk one
   thread and one connection per user), each sending its
   next request as soon as the last is answered (no wait time), going round its role's pages and
   the login page (fetched without a session: the baseline), for --run-time seconds or
   --max-requests requests, whichever comes first. The first --warm-up seconds are not counted.

Prints, per page and role, the requests, p50 and p95 and the ratio of the p95 to the login page's
p95 measured in the same run. Exits with 1 when a page fails (any answer but 200) or its p95 is
over --p95-limit ms or over --ratio-limit times the login page's. On a shared, noisy machine the
ratios are the more telling figures; the absolute times are for orientation.
"""

import argparse
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlparse


def _driver_asked() -> str:
    """--driver from the command line, read before anything is imported (see below)."""
    for position, argument in enumerate(sys.argv):
        if argument.startswith("--driver="):
            return argument.split("=", 1)[1]
        if argument == "--driver" and position + 1 < len(sys.argv):
            return sys.argv[position + 1]
    return "wrk"


DRIVER = _driver_asked()
if DRIVER == "locust":
    try:  # locust patches the standard library (gevent) on import: before the rest is used
        import gevent
        from locust import FastHttpUser, constant, task
        from locust.contrib.fasthttp import FastHttpSession
        from locust.env import Environment
    except ImportError:
        sys.exit("--driver locust needs locust: .venv/bin/pip install -e '.[bench]'")

# -- limits and sizes ----------------------------------------------------------------------------
P95_LIMIT_MS = 500.0  # every page's p95 under the load
RATIO_LIMIT = 5.0  # every page's p95 over the login page's p95, same run
USERS = 20
WORKERS = 2
WORKER_CLASS = "sync"  # gunicorn's; "gthread" with THREADS threads per worker is the other choice
THREADS = 2
RUN_TIME = 150  # seconds of load (full size)
MAX_REQUESTS = 30000  # a cap, not the aim: the run time ends the load with every user busy
WARM_UP = 5  # seconds of load not counted
QUICK_RUN_TIME = 30
QUICK_MAX_REQUESTS = 2000
QUICK_WARM_UP = 3
REGION = {"municipalities": 40, "organizations": 2600, "people": 100_000, "seed": 7}
PASSWORD = "demo-nms-2026"  # nms.demo.accounts.DEMO_PASSWORD
ROLES = ("ministry", "cnppm", "methodist", "municipal", "school", "teacher")
BREAKDOWNS = ("municipality", "organization", "subject", "group", "region")  # nms.deficits.maps
LOGIN = "login page (anonymous)"
ANONYMOUS = "—"
ROOT = Path(__file__).resolve().parents[1]

# What the benchmark needs to know about the database, printed as JSON by a separate Python
# process (this one runs under gevent and keeps away from the database).
INSPECT = """
import json
import sys
ROLES = sys.argv[1:]
import django
django.setup()
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count

if "registry_region" not in connection.introspection.table_names():
    print(json.dumps({"migrated": False}))
    raise SystemExit
from nms.accounts.models import Role, RoleAssignment
from nms.diagnostics.models import Result
from nms.registry.models import Person, Region

executor = MigrationExecutor(connection)
pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
state = {"migrated": True, "pending": [f"{m.app_label}.{m.name}" for m, _ in pending],
         "regions": Region.objects.count(), "region": None, "people": 0}
# Only the columns needed, so that a database a migration behind can still be inspected.
region = (RoleAssignment.objects.filter(user__username="ministry", role=Role.MINISTRY)
          .values_list("region_id", flat=True).first())
if region is not None:
    people = Person.objects.filter(region_id=region)
    state["region"] = Region.objects.values_list("name", flat=True).get(pk=region)
    state["people"] = people.count()
    state["surnames"] = list(
        people.values("last_name").annotate(n=Count("id")).order_by("-n", "last_name")
        .values_list("last_name", flat=True)[:3]
    )
    bound = RoleAssignment.objects.filter(user__username__in=ROLES).values_list(
        "user__username", "region_id", "municipality__region_id", "organization__region_id",
        "person__region_id",
    )
    state["elsewhere"] = sorted({name for name, *ids in bound if set(ids) - {None, region}})
    state["roles"] = sorted({name for name, *_ in bound})
    state["procedures"] = list(
        Result.objects.filter(person__region_id=region).values("procedure")
        .annotate(n=Count("id")).order_by("-n").values_list("procedure", flat=True)[:5]
    )
print(json.dumps(state, ensure_ascii=False))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument(
        "--quick",
        action="store_true",
        default=os.environ.get("NMS_QUICK", "").lower() in {"1", "true", "yes"},
        help="the demo region (nms demo-bootstrap) and a short run: a smoke test",
    )
    parser.add_argument("--users", type=int, default=USERS)
    parser.add_argument(
        "--run-time", type=float, help=f"seconds of load ({RUN_TIME}; quick {QUICK_RUN_TIME})"
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        help=f"counted requests at most ({MAX_REQUESTS}; quick {QUICK_MAX_REQUESTS})",
    )
    parser.add_argument("--warm-up", type=float, help=f"seconds not counted ({WARM_UP})")
    parser.add_argument("--p95-limit", type=float, default=P95_LIMIT_MS, help="ms")
    parser.add_argument("--ratio-limit", type=float, default=RATIO_LIMIT)
    parser.add_argument(
        "--roles", default=",".join(ROLES), help="comma-separated demo roles (all six)"
    )
    parser.add_argument(
        "--pages", default="", help="only pages whose names contain one of these, comma-separated"
    )
    parser.add_argument("--markdown", action="store_true", help="print the table in Markdown")
    parser.add_argument(
        "--driver",
        choices=("wrk", "locust"),
        default="wrk",
        help="the load tool: wrk (default; Debian's, little CPU) or locust (pip, gevent)",
    )
    parser.add_argument(
        "--worker-class",
        choices=("sync", "gthread"),
        default=WORKER_CLASS,
        help=f"gunicorn's workers ({WORKER_CLASS}; gthread: {THREADS} threads each)",
    )
    parser.add_argument(
        "--migrate",
        action="store_true",
        help="apply pending migrations to a database that already holds a region",
    )
    args = parser.parse_args()
    run_time = args.run_time or (QUICK_RUN_TIME if args.quick else RUN_TIME)
    max_requests = args.max_requests or (QUICK_MAX_REQUESTS if args.quick else MAX_REQUESTS)
    warm_up = (
        args.warm_up if args.warm_up is not None else (QUICK_WARM_UP if args.quick else WARM_UP)
    )

    url = args.database_url or ""
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench_pages.py needs PostgreSQL: set DATABASE_URL=postgres://… or --database-url")
    if not ensure_database(url):
        print(f"PostgreSQL at {safe(url)} does not answer: bench_pages.py skipped")
        return
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "nms.settings"}
    env.pop("DEBUG", None)
    state = prepare_region(env, quick=args.quick, migrate=args.migrate)
    print(f"database: {safe(url)}; region «{state['region']}», {state['people']} people")

    # `timeout` or `kill` stop the run as Ctrl-C does: the server is stopped on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    logdir = Path(tempfile.mkdtemp(prefix="nms-bench-pages-"))
    server = Server(env, logdir / "gunicorn.log", worker_class=args.worker_class)
    try:
        server.start()
        roles = [role for role in args.roles.split(",") if role]
        if unknown := set(roles) - set(ROLES):
            sys.exit(f"unknown roles: {', '.join(sorted(unknown))}")
        sessions = {role: login(server.port, role) for role in roles}
        wanted = [part.strip() for part in args.pages.split(",") if part.strip()]
        plans, alone, problems, left_out = probe(server.port, sessions, state, wanted)
        for role, page, status in left_out:
            print(f"  not {role}'s page ({status}): {page}")
        if not any(mine for _, mine in plans.values()):
            sys.exit("no page answered 200: nothing to load")
        started = time.monotonic()
        samples, failures, unanswered, elapsed, throughput = load(
            server.port,
            plans,
            users=args.users,
            run_time=run_time,
            max_requests=max_requests,
            warm_up=warm_up,
            p95_limit=args.p95_limit,
        )
        counted = sum(map(len, samples.values())) + sum(sum(c.values()) for c in failures.values())
        print(
            f"load ({DRIVER}): {args.users} users, {WORKERS} gunicorn {args.worker_class} "
            f"workers, {counted} requests counted "
            f"in {elapsed:.0f} s, {throughput:.1f} answers/s; "
            f"{time.monotonic() - started:.0f} s with the warm-up"
        )
    finally:
        server.stop()
    over = report(
        samples,
        failures,
        unanswered,
        alone,
        problems,
        plans,
        args.p95_limit,
        args.ratio_limit,
        args.markdown,
    )
    if over:
        print(f"FAILED: {over}")
        sys.exit(1)
    print(
        f"OK: every page answered 200, p95 ≤ {args.p95_limit:.0f} ms and "
        f"≤ {args.ratio_limit:g} × the login page's"
    )


# -- the database and the region -----------------------------------------------------------------
def safe(url: str) -> str:
    """The URL without its password, for printing."""
    parts = urlparse(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url


def ensure_database(url: str) -> bool:
    """Create the database if the server answers and it does not exist; False if no server."""
    code = (
        "import sys, psycopg\n"
        "from psycopg import sql\n"
        "from urllib.parse import urlparse\n"
        "url = sys.argv[1]; name = urlparse(url).path.lstrip('/')\n"
        "admin = urlparse(url)._replace(path='/postgres').geturl()\n"
        "try:\n"
        "    conn = psycopg.connect(admin, connect_timeout=3, autocommit=True)\n"
        "except psycopg.OperationalError:\n"
        "    sys.exit(3)\n"
        "if not conn.execute('select 1 from pg_database where datname = %s', [name]).fetchone():\n"
        "    conn.execute(sql.SQL('create database {}').format(sql.Identifier(name)))\n"
        "    print(f'created the database {name}')\n"
    )
    done = subprocess.run([sys.executable, "-c", code, url], check=False)
    if done.returncode == 3:
        return False
    if done.returncode:
        sys.exit("could not check or create the database")
    return True


def inspect(env: dict) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", INSPECT, *ROLES],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"could not inspect the database:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def nms(env: dict, *arguments: str) -> None:
    print(f"$ nms {' '.join(arguments)}", flush=True)
    subprocess.run([sys.executable, "-m", "nms", *arguments], env=env, check=True)


def prepare_region(env: dict, *, quick: bool, migrate: bool) -> dict:
    """Reuse the region the demo accounts are bound to, or build it in an empty database."""
    need = 1 if quick else REGION["people"]
    state = inspect(env)
    if state["migrated"] and state["people"] >= need:
        check_accounts(state)
        if state["pending"]:
            if not migrate:
                print(
                    f"warning: the database lacks migrations {', '.join(state['pending'])} "
                    f"(--migrate applies them)"
                )
            else:
                nms(env, "migrate", "--noinput")
        return inspect(env) if migrate else state
    if state["migrated"] and state["regions"]:
        sys.exit(
            f"the database holds {state['regions']} region(s), but the demo ministry account's "
            f"region has {state['people']} people (< {need}): use an empty database"
        )
    nms(env, "migrate", "--noinput")
    started = time.monotonic()
    if quick:
        nms(env, "demo-bootstrap")
    else:
        nms(env, "generate-region", *(f"--{k}={v}" for k, v in REGION.items()))
    print(f"region built in {time.monotonic() - started:.0f} s")
    state = inspect(env)
    if state["people"] < need:
        sys.exit("the demo accounts are not bound to the generated region")
    check_accounts(state)
    return state


def check_accounts(state: dict) -> None:
    """Every demo role exists and sees only the region measured."""
    if missing := set(ROLES) - set(state["roles"]):
        sys.exit(f"no demo accounts {', '.join(sorted(missing))} in the database")
    if state["elsewhere"]:
        sys.exit(
            f"demo accounts bound outside «{state['region']}»: {', '.join(state['elsewhere'])}"
        )


# -- the server ----------------------------------------------------------------------------------
class Server:
    """gunicorn with WORKERS workers (sync, or gthread with THREADS threads) on a free loopback
    port."""

    def __init__(self, env: dict, log: Path, worker_class: str = WORKER_CLASS):
        self.env, self.log, self.process = env, log, None
        self.worker_class = worker_class
        with socket.socket() as probe_socket:
            probe_socket.bind(("127.0.0.1", 0))
            self.port = probe_socket.getsockname()[1]

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "nms.wsgi",
            "--workers",
            str(WORKERS),
            "--worker-class",
            self.worker_class,
            *(["--threads", str(THREADS)] if self.worker_class == "gthread" else []),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--log-level",
            "warning",
        ]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn stopped:\n{self.log.read_text()[-3000:]}")
            try:
                if request(self.port, "/login/")[0] == 200:
                    print(
                        f"gunicorn nms.wsgi -w {WORKERS} ({self.worker_class}) "
                        f"on 127.0.0.1:{self.port}"
                    )
                    return
            except OSError:
                pass
            time.sleep(0.3)
        sys.exit("gunicorn did not answer within 60 s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        errors = [
            line
            for line in self.log.read_text(errors="replace").splitlines()
            if "Traceback" in line or "ERROR" in line
        ]
        if errors:
            print(f"gunicorn logged {len(errors)} error line(s), see {self.log}")
        else:
            shutil.rmtree(self.log.parent, ignore_errors=True)


def request(port: int, path: str, *, cookie: str = "", method: str = "GET", body: str = ""):
    """(status, headers, body) of one request, redirects not followed."""
    connection = HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Cookie": cookie} if cookie else {}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def cookies(headers) -> dict:
    jar = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def login(port: int, username: str) -> str:
    """The Cookie header of a session of the demo account `username`."""
    status, headers, body = request(port, "/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    csrf = cookies(headers).get("csrftoken")
    if status != 200 or not token or not csrf:
        sys.exit(f"the login page answered {status} without a CSRF token")
    form = {"username": username, "password": PASSWORD, "next": "/"}
    status, headers, _ = request(
        port,
        "/login/",
        method="POST",
        cookie=f"csrftoken={csrf}",
        body=urlencode({**form, "csrfmiddlewaretoken": token.group(1).decode()}),
    )
    session = cookies(headers).get("sessionid")
    if status != 302 or not session:
        sys.exit(f"could not log in as {username} (answer {status}): is the password {PASSWORD}?")
    return f"sessionid={session}; csrftoken={csrf}"


# -- the pages -----------------------------------------------------------------------------------
def pages(state: dict) -> list[tuple[str, str]]:
    """(name, path) of every role's main pages; the procedure results come from `probe`."""
    surname = (state.get("surnames") or ["Иванова"])[0].lower().replace("ё", "е")
    listed = [
        ("home", "/"),
        ("people", "/registry/people/"),
        ("people: search by surname", "/registry/people/?" + urlencode({"q": surname})),
        ("organizations", "/registry/organizations/"),
        ("routes: register", "/routes/"),
        ("routes: dashboard", "/routes/attention/"),
    ]
    listed += [(f"deficit map: {b}", f"/diagnostics/maps/?breakdown={b}") for b in BREAKDOWNS]
    listed += [
        ("api: people", "/api/v1/people/"),
        ("api: organizations", "/api/v1/organizations/"),
        ("api: employments", "/api/v1/employments/"),
        ("api: diagnostics results", "/api/v1/diagnostics/results/"),
        ("api: routes", "/api/v1/routes/"),
        ("api: deficit map", "/api/v1/diagnostics/maps/"),
    ]
    return listed


PROCEDURE_RESULTS = "procedure results"


def probe(port: int, sessions: dict, state: dict, wanted: list[str]):
    """Fetch each page once as each role: which pages are the role's, which fail (and warm up).

    Returns the plans {role: (cookie, [(page, path)])}, the time of each page alone
    {(page, role): ms}, the problems [(role, page, status)] and the pages left out
    [(role, page, status)] for answering 403 or 404."""
    plans, alone, problems, left_out = {}, {}, [], []
    started = time.monotonic()

    def fetch(role, cookie, page, path) -> int:
        begin = time.perf_counter()
        status = request(port, path, cookie=cookie)[0]
        if status == 200:
            alone[(page, role)] = (time.perf_counter() - begin) * 1000
        return status

    begin = time.perf_counter()
    request(port, "/login/")
    alone[(LOGIN, ANONYMOUS)] = (time.perf_counter() - begin) * 1000
    for role, cookie in sessions.items():
        mine = []
        for page, path in pages(state):
            if wanted and not any(part in page for part in wanted):
                continue
            status = fetch(role, cookie, page, path)
            if status == 200:
                mine.append((page, path))
            elif status in (403, 404):
                left_out.append((role, page, status))
            else:
                problems.append((role, page, status))
        # The procedure with the most results in the region that the role may see.
        status = None
        candidates = state.get("procedures") or []
        if wanted and not any(part in PROCEDURE_RESULTS for part in wanted):
            candidates, status = [], "not asked for"
        for procedure in candidates:
            path = f"/diagnostics/procedures/{procedure}/results/"
            status = fetch(role, cookie, PROCEDURE_RESULTS, path)
            if status == 200:
                mine.append((PROCEDURE_RESULTS, path))
                break
            if status not in (403, 404):
                problems.append((role, PROCEDURE_RESULTS, status))
                break
        else:
            if status != "not asked for":
                left_out.append((role, PROCEDURE_RESULTS, status or "no results in the region"))
        plans[role] = (cookie, mine)
        print(f"  {role}: {len(mine)} pages fetched once", flush=True)
    print(f"every page fetched once as each role in {time.monotonic() - started:.0f} s")
    return plans, alone, problems, left_out


# -- the load ------------------------------------------------------------------------------------
if DRIVER == "locust":

    class Visitor(FastHttpUser):
        """One demo role going round its pages and the login page, without waiting."""

        wait_time = constant(0)
        network_timeout = 120.0
        connection_timeout = 10.0
        plans: list = []  # [(role, cookie, [(page, path)])], one taken in turn by each new user
        started = 0
        in_flight: dict = {}  # {user's id: ((page, role), epoch time sent)}

        def on_start(self):
            number = Visitor.started
            Visitor.started += 1
            self.role, self.cookie, mine = Visitor.plans[number % len(Visitor.plans)]
            self.round = [*mine, (LOGIN, "/login/")]
            self.position = number  # users of one role start at different pages
            # Cookies are sent by hand: the session's for the role, none for the login page.
            self.client.client.cookiejar = None
            self.anonymous = FastHttpSession(
                self.host,
                request_event=self.environment.events.request,
                user=self,
                network_timeout=self.network_timeout,
                connection_timeout=self.connection_timeout,
            )
            self.anonymous.client.cookiejar = None

        @task
        def next_page(self):
            page, path = self.round[self.position % len(self.round)]
            self.position += 1
            role = ANONYMOUS if page == LOGIN else self.role
            Visitor.in_flight[id(self)] = ((page, role), time.time())
            try:
                if page == LOGIN:
                    self.anonymous.get(path, name=f"{LOGIN}\t{ANONYMOUS}", allow_redirects=False)
                else:
                    self.client.get(
                        path,
                        name=f"{page}\t{self.role}",
                        headers={"Cookie": self.cookie},
                        allow_redirects=False,
                    )
            finally:
                Visitor.in_flight.pop(id(self), None)


def load_locust(port, plans, *, users, run_time, max_requests, warm_up, p95_limit):
    """locust runs the users: (samples {(page, role): [ms]}, failures {(page, role): Counter},
    unanswered at the end {(page, role): n}, seconds counted, answers per second)."""
    samples, failures, unanswered = defaultdict(list), defaultdict(Counter), Counter()
    answered_after_warm_up = [0]
    Visitor.plans = [(role, cookie, mine) for role, (cookie, mine) in plans.items() if mine]
    Visitor.started = 0
    Visitor.in_flight = {}
    Visitor.host = f"http://127.0.0.1:{port}"
    environment = Environment(user_classes=[Visitor], catch_exceptions=True)
    counted_from = time.monotonic() + warm_up
    counted_from_epoch = time.time() + warm_up  # locust gives each request's start as epoch time

    def on_request(name, response_time, response=None, exception=None, start_time=0, **kwargs):
        if time.monotonic() >= counted_from:
            answered_after_warm_up[0] += 1  # the throughput, whenever sent
        if start_time < counted_from_epoch:  # sent during the warm-up: not counted
            return
        key = tuple(name.split("\t"))
        status = getattr(response, "status_code", None)
        if exception is not None or status != 200:
            failures[key][status or type(exception).__name__] += 1
        else:
            samples[key].append(response_time)

    environment.events.request.add_listener(on_request)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=users)
    deadline = counted_from + run_time
    while time.monotonic() < deadline:
        counted = sum(map(len, samples.values())) + sum(sum(c.values()) for c in failures.values())
        if counted >= max_requests:
            break
        gevent.sleep(0.2)
    # A request unanswered at the end after more than the limit counts with the time it has
    # waited so far (at least that long): a page too slow to answer within the run still shows.
    now = time.time()
    for key, sent in list(Visitor.in_flight.values()):
        if sent >= counted_from_epoch and (now - sent) * 1000 > p95_limit:
            samples[key].append((now - sent) * 1000)
            unanswered[key] += 1
    runner.quit()
    elapsed = max(time.monotonic() - counted_from, 0.001)
    return samples, failures, unanswered, elapsed, answered_after_warm_up[0] / elapsed


# wrk: one thread per user, each thread with its own Lua state, one connection and one role; it
# writes a line per answer (page, role, status, the time sent, ms) to its own file.
WRK_SCRIPT = r"""
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } nms_timespec;
int clock_gettime(int clk_id, nms_timespec *tp);
]]
local now_ts = ffi.new("nms_timespec")
local function now(clock)  -- seconds: 0 = the wall clock, 1 = the monotonic clock
  ffi.C.clock_gettime(clock, now_ts)
  return tonumber(now_ts.tv_sec) + tonumber(now_ts.tv_nsec) / 1e9
end

local PLANS = %(plans)s  -- {{role, cookie, {{page, path}, …}}, …}
local OUTPUT = "%(output)s"
local LIMIT = %(limit)d  -- answers per user at most
local LOGIN = "%(login)s"
local ANONYMOUS = "%(anonymous)s"

local threads, counter = {}, 0
function setup(thread)
  counter = counter + 1
  thread:set("number", counter)
  table.insert(threads, thread)
end

local round, position, role, cookie, out, sent_wall, sent, page, answered

function init(args)
  local plan = PLANS[((number - 1) %% #PLANS) + 1]
  role, cookie = plan[1], plan[2]
  round = {}
  for _, entry in ipairs(plan[3]) do table.insert(round, entry) end
  table.insert(round, {LOGIN, "/login/"})
  position = number  -- users of one role start at different pages
  answered = 0
  out = io.open(OUTPUT .. "." .. number, "w")
end

function request()
  local entry = round[(position %% #round) + 1]
  position = position + 1
  page = entry[1]
  local headers = {}
  if page ~= LOGIN then headers["Cookie"] = cookie end
  sent_wall, sent = now(0), now(1)
  return wrk.format("GET", entry[2], headers)
end

function response(status, headers, body)
  local ms = (now(1) - sent) * 1000
  local who = role
  if page == LOGIN then who = ANONYMOUS end
  out:write(string.format("%%s\t%%s\t%%d\t%%.6f\t%%.3f\n", page, who, status, sent_wall, ms))
  answered = answered + 1
  if answered >= LIMIT then
    out:flush()
    wrk.thread:stop()
  end
end
"""


def _lua(value) -> str:
    if isinstance(value, (list, tuple)):
        return "{" + ", ".join(_lua(v) for v in value) + "}"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def load_wrk(port, plans, *, users, run_time, max_requests, warm_up, p95_limit):
    """wrk (Debian's `wrk`, C, a small share of a core) runs the users; the same answers as
    `load_locust`. A request still unanswered at the end is not seen (wrk's timeouts are)."""
    if not shutil.which("wrk"):
        sys.exit("bench_pages.py needs wrk (apt-get install wrk) or --driver locust")
    chosen = [(role, cookie, mine) for role, (cookie, mine) in plans.items() if mine]
    workdir = Path(tempfile.mkdtemp(prefix="nms-bench-wrk-"))
    output = workdir / "answers"
    script = workdir / "users.lua"
    # Each user stops after its share of the requests (and of the warm-up's, roughly).
    limit = max(1, math.ceil(max_requests * (1 + warm_up / max(run_time, 1)) / users))
    script.write_text(
        WRK_SCRIPT
        % {
            "plans": _lua(
                [[role, cookie, [[p, path] for p, path in mine]] for role, cookie, mine in chosen]
            ),
            "output": str(output),
            "limit": limit,
            "login": LOGIN,
            "anonymous": ANONYMOUS,
        }
    )
    started_epoch = time.time()
    started = time.monotonic()
    done = subprocess.run(
        [
            "wrk",
            f"--threads={users}",
            f"--connections={users}",
            f"--duration={math.ceil(run_time + warm_up)}s",
            "--timeout=60s",
            f"--script={script}",
            f"http://127.0.0.1:{port}/",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    ended = time.monotonic()
    if done.returncode:
        sys.exit(f"wrk failed:\n{done.stdout}\n{done.stderr}")
    samples, failures, unanswered = defaultdict(list), defaultdict(Counter), Counter()
    counted_from = started_epoch + warm_up
    answered_after_warm_up = 0
    answers = []
    for part in sorted(workdir.glob("answers.*")):
        for line in part.read_text().splitlines():
            page, role, status, sent, ms = line.split("\t")
            answers.append((float(sent), page, role, int(status), float(ms)))
    answers.sort()
    for sent, page, role, status, ms in answers:
        if sent + ms / 1000 >= counted_from:
            answered_after_warm_up += 1
        if sent < counted_from:
            continue
        if status != 200:
            failures[(page, role)][status] += 1
        else:
            samples[(page, role)].append(ms)
    timeouts = re.search(r"timeout (\d+)", done.stdout)
    if timeouts and int(timeouts.group(1)):
        failures[("(any page)", "—")]["timeout"] += int(timeouts.group(1))
    shutil.rmtree(workdir, ignore_errors=True)
    elapsed = max(ended - started - warm_up, 0.001)
    return samples, failures, unanswered, elapsed, answered_after_warm_up / elapsed


def load(port, plans, **kwargs):
    return (load_locust if DRIVER == "locust" else load_wrk)(port, plans, **kwargs)


# -- the table -----------------------------------------------------------------------------------
def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def report(
    samples, failures, unanswered, alone, problems, plans, p95_limit, ratio_limit, markdown
) -> str:
    """Print the table; return what is over a limit ("" if nothing)."""
    login = samples.get((LOGIN, ANONYMOUS)) or []
    login_p95 = percentile(login, 0.95) if login else None
    order = [LOGIN, *(page for page, _ in pages({})), PROCEDURE_RESULTS]
    keys = sorted(
        set(samples) | set(failures) | set(alone) | {(page, role) for role, page, _ in problems},
        key=lambda k: (order.index(k[0]) if k[0] in order else len(order), _role_order(k[1])),
    )
    columns = ("page", "role", "requests", "fail", "alone ms", "p50 ms", "p95 ms", "p95/login")
    widths = (30, 9, 8, 5, 8, 7, 7, 9)
    planned = {(page, role) for role, (_, mine) in plans.items() for page, _ in mine}
    planned.add((LOGIN, ANONYMOUS))
    rows, over = [], []
    for page, role in keys:
        times = samples.get((page, role)) or []
        failed = failures.get((page, role), Counter())
        p95 = percentile(times, 0.95) if times else math.nan
        ratio = p95 / login_p95 if times and login_p95 else math.nan
        flags = [
            f"answered {status} before the load"
            for r, p, status in problems
            if (p, r) == (page, role)
        ]
        if failed:
            flags.append("failed: " + ", ".join(f"{k} ×{n}" for k, n in failed.items()))
        if times and p95 > p95_limit:
            flags.append(f"p95 > {p95_limit:.0f} ms")
        if ratio > ratio_limit:
            flags.append(f"p95/login > {ratio_limit:g}")
        over += [f"{page} ({role}): {flag}" for flag in flags]
        if unanswered[(page, role)]:
            flags.append(f"{unanswered[(page, role)]} still waiting at the end")
        if not times and not failed and (page, role) in planned:
            flags.append("not reached in the run")  # too short a run (or too slow a page)
        elif times and len(times) < 20:
            flags.append("few samples")
        rows.append(
            (
                page,
                role,
                str(len(times) + sum(failed.values())),
                str(sum(failed.values())),
                _ms(alone.get((page, role))),
                _ms(percentile(times, 0.5) if times else None),
                _ms(p95 if times else None),
                f"{ratio:.1f}" if times and login_p95 else "—",
                "; ".join(flags),
            )
        )
    print()
    if markdown:
        print("| " + " | ".join((*columns, "note")) + " |")
        print("|" + "|".join(["---"] * 2 + ["--:"] * 6 + ["---"]) + "|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:

        def line(cells):
            text = [
                c.ljust(w) if i < 2 else c.rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=False))
            ]
            return "  ".join(text + list(cells[len(widths) :])).rstrip()

        print(line(columns))
        print(line(["-" * w for w in widths]))
        for row in rows:
            print(line(row))
    if not login:
        over.append("the login page got no answers")
    if len(over) > 5:
        return f"{len(over)} over the limits, e.g. " + "; ".join(over[:5])
    return "; ".join(over)


def _ms(value) -> str:
    return "—" if value is None else f"{value:.0f}"


def _role_order(role: str) -> int:
    return ROLES.index(role) if role in ROLES else -1


if __name__ == "__main__":
    main()
