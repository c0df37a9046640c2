#!/usr/bin/env python3
"""Workers on one journal, SQLite against PostgreSQL, in one run (issue 15; see docs/PERFORMANCE.md):

  throughput  N = 1, 2 and 4 `wptsync worker` processes drain --events pending no-op events (git
              pushes of the wpt mirror whose handler only describes them: one hook-recorded event
              cloned in SQL, as benchmarks/worker.py's backlog); events per second from the first
              claim to the last event done;
  pickup      the same workers idle, --pushes hook runs (`wptsync-hook git-post-receive`, a new
              ref each) at random moments: from the hook process's exit (and start) to the event's
              claim. SQLite workers are woken by the hooks' FIFO; PostgreSQL workers only by
              LISTEN/NOTIFY (the hook's configuration has a `path` of its own, as on another machine).

Each journal first holds --prefill finished events (default 100,000, as benchmarks/hook-postgres.py),
as a production journal does. Claims are timed by a trigger the benchmark adds to each journal
(`bench_claims`), not by the workers. PostgreSQL is a throw-away cluster on 127.0.0.1 (initdb into a
temporary folder; as the `postgres` user when run as root), `trust` authentication. `--before DIR`
also runs another build's workers on PostgreSQL, in turn with this one's (A/B in one run).

Usage: benchmarks/workers.py [--events 2000] [--pushes 30] [--workers 1,2,4] [--prefill 100000] [--bin DIR] [--before DIR]
       (after `swift build -c release --static-swift-stdlib`)
"""
import argparse, glob, importlib.util, os, pwd, random, socket, sqlite3, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("worker", os.path.join(HERE, "worker.py"))
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)
ENV, run, node = bench.ENV, bench.run, bench.node

SQLITE_TRIGGER = """
CREATE TABLE IF NOT EXISTS bench_claims (id INTEGER, at REAL);
CREATE TRIGGER IF NOT EXISTS bench_claimed AFTER UPDATE OF state ON events
WHEN NEW.state = 'running' AND OLD.state <> 'running'
BEGIN INSERT INTO bench_claims VALUES (NEW.id, (julianday('now') - 2440587.5) * 86400.0); END;
"""
POSTGRES_TRIGGER = """
CREATE TABLE bench_claims (id BIGINT, at DOUBLE PRECISION);
CREATE FUNCTION bench_claimed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO bench_claims VALUES (NEW.id, extract(epoch FROM clock_timestamp())); RETURN NEW; END $$;
CREATE TRIGGER bench_claimed AFTER UPDATE ON events FOR EACH ROW
WHEN (NEW.state = 'running' AND OLD.state <> 'running') EXECUTE FUNCTION bench_claimed();
"""


def as_owner(args):
    return ["runuser", "-u", "postgres", "--"] + args if os.geteuid() == 0 else args


class Cluster:
    """A throw-away PostgreSQL cluster on 127.0.0.1 with `trust` authentication."""

    def __init__(self, tmp):
        self.bin = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
        self.dir = os.path.join(tmp, "pg")
        os.chmod(tmp, 0o755)  # the server's owner reaches its folder
        os.mkdir(self.dir)
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.dir, owner.pw_uid, owner.pw_gid)
        self.data = os.path.join(self.dir, "data")
        run(as_owner([f"{self.bin}/initdb", "-D", self.data, "-U", "wptsync", "--auth=trust", "--no-sync"]), cwd=self.dir)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        run(as_owner([f"{self.bin}/pg_ctl", "-D", self.data, "-l", os.path.join(self.dir, "log"), "-w", "-o",
                      f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=", "start"]), cwd=self.dir)
        self.databases = 0

    def database(self):
        self.databases += 1
        name = f"bench{self.databases}"
        run([f"{self.bin}/createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "wptsync", name])
        return name

    def psql(self, database, sql):
        return run([f"{self.bin}/psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "wptsync", "-At", "-q",
                    "-v", "ON_ERROR_STOP=1", "-c", sql, database]).stdout.decode().strip()

    def stop(self):
        run(as_owner([f"{self.bin}/pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop"]), cwd=self.dir)


class Journal:
    """One backend's journal for one measurement: the worker's configuration, the hook's, and SQL."""

    def __init__(self, tmp, build, cluster, prefill):
        self.world = bench.World(tmp, build, hooks=False)
        self.build, self.cluster = build, cluster
        self.hook_config = self.world.config
        if cluster:
            self.database = cluster.database()
            url = f'url = "postgresql://wptsync@127.0.0.1:{cluster.port}/{self.database}"\n'
            text = open(self.world.config).read()
            with open(self.world.config, "w") as f:
                f.write(text.replace("[store]\n", "[store]\n" + url, 1))
            # The hook's own state folder: its wake-up FIFO reaches no worker, as on another machine.
            self.hook_config = os.path.join(tmp, "hook.toml")
            with open(self.hook_config, "w") as f:
                f.write(text.replace("[store]\n", "[store]\n" + url, 1).replace(os.path.join(tmp, "state"), os.path.join(tmp, "hookhost")))
            self.world.wptsync("migrate")
        self.hook("0" * 40, node())
        self.prefill(prefill)
        self.sql(POSTGRES_TRIGGER if cluster else SQLITE_TRIGGER)

    def sql(self, text):
        if self.cluster:
            return [line.split("|") for line in self.cluster.psql(self.database, text).splitlines()]
        db = sqlite3.connect(self.world.store, timeout=30)
        with db:
            if ";" in text.strip().rstrip(";"):
                db.executescript(text)
                rows = []
            else:
                rows = [list(map(str, row)) for row in db.execute(text).fetchall()]
        db.close()
        return rows

    def hook(self, old, new):
        """Runs the mirror's hook for one ref update; its start and exit times (time.time())."""
        env = dict(ENV, WPTSYNC_CONFIG=self.hook_config, GIT_DIR=self.world.mirror)
        started = time.time()
        subprocess.run([os.path.join(self.build, "wptsync-hook"), "git-post-receive"], env=env, check=True,
                       input=f"{old} {new} refs/heads/master\n".encode(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return started, time.time()

    def backlog(self, count):
        """`count` more pending events, clones of the hook-recorded one with new ref values."""
        first = self.sql("SELECT dedupe_key, payload FROM events ORDER BY id LIMIT 1")[0]
        sha = next(w for w in first[1].replace('"', " ").split() if len(w) == 40 and w != "0" * 40)
        if self.cluster:
            self.sql("INSERT INTO events (kind, repository, dedupe_key, payload, received_at, next_attempt_at) "
                     f"SELECT kind, repository, replace(dedupe_key, '{sha}', h), replace(payload, '{sha}', h), received_at, received_at "
                     f"FROM (SELECT * FROM events ORDER BY id LIMIT 1) e, "
                     f"(SELECT substr(md5(n::text) || md5((n + 7)::text), 1, 40) AS h FROM generate_series(1, {count}) n) s")
        else:
            db = sqlite3.connect(self.world.store, timeout=30)
            row = db.execute("SELECT kind, repository, dedupe_key, payload, received_at FROM events ORDER BY id LIMIT 1").fetchone()
            with db:
                for _ in range(count):
                    new = node()
                    db.execute("INSERT INTO events (kind, repository, dedupe_key, payload, received_at, next_attempt_at)"
                               " VALUES (?, ?, ?, ?, ?, ?)", (row[0], row[1], row[2].replace(sha, new), row[3].replace(sha, new), row[4], row[4]))
            db.close()

    def prefill(self, count):
        """`count` finished events, clones of the hook-recorded one, each with a key of its own."""
        if count == 0:
            return
        columns = "INSERT INTO events (kind, repository, dedupe_key, payload, state, attempts, received_at, finished_at) "
        rows = "SELECT kind, repository, 'prefill-' || n, payload, 'done', 1, received_at, received_at FROM (SELECT * FROM events WHERE id = 1) e, {series}"
        if self.cluster:
            self.sql(columns + rows.format(series=f"generate_series(1, {count}) AS n") + "; ANALYZE events;")
        else:
            self.sql(f"WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {count}) "
                     + columns + rows.format(series="s") + "; ANALYZE;")

    def unfinished(self):
        # `state IN`: the index on (state, next_attempt_at), not a scan of the finished events.
        return int(self.sql("SELECT COUNT(*) FROM events WHERE state IN ('pending', 'running', 'failed')")[0][0])

    def workers(self, count):
        env = dict(ENV, WPTSYNC_BENCH_TOKEN=bench.TOKEN)
        return [subprocess.Popen([os.path.join(self.build, "wptsync"), "worker", "--config", self.world.config], env=env,
                                 cwd=self.world.tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(count)]


def wait_until(condition, limit=600):
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the workers")
        time.sleep(0.02)


def measure(backend, build, cluster, count, events, pushes, prefill):
    with tempfile.TemporaryDirectory(prefix=f"wptsync-workers-{backend.split()[0]}-") as tmp:
        journal = Journal(tmp, build, cluster if backend.startswith("postgresql") else None, prefill)
        journal.backlog(events)
        workers = journal.workers(count)
        try:
            wait_until(lambda: journal.unfinished() == 0)
            first_claim = float(journal.sql("SELECT MIN(at) FROM bench_claims")[0][0])
            last_done = float(journal.sql("SELECT MAX(finished_at) FROM events")[0][0])
            done = events + 1
            rate = done / (last_done - first_claim)
            time.sleep(1.5)  # every worker idle, waiting for a wake-up
            exits, starts = [], []
            for _ in range(pushes):
                started, exited = journal.hook(node(), node())
                ids = journal.sql("SELECT MAX(id) FROM events")[0][0]
                wait_until(lambda: journal.sql(f"SELECT COUNT(*) FROM bench_claims WHERE id = {ids}")[0][0] != "0", limit=30)
                claimed = float(journal.sql(f"SELECT MIN(at) FROM bench_claims WHERE id = {ids}")[0][0])
                exits.append((claimed - exited) * 1000)
                starts.append((claimed - started) * 1000)
                time.sleep(random.uniform(0.2, 0.6))
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait()
    return rate, exits, starts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--pushes", type=int, default=30)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--prefill", type=int, default=100_000, help="finished events in each journal before measuring")
    parser.add_argument("--bin", default=os.path.join(os.path.dirname(HERE), ".build", "release"))
    parser.add_argument("--before", help="another build's folder whose workers also drain PostgreSQL, in turn with this one's")
    options = parser.parse_args()
    build = os.path.abspath(options.bin)
    builds = {"sqlite": build, "postgresql": build}
    if options.before:
        builds = {"sqlite": build, "postgresql (before)": os.path.abspath(options.before), "postgresql": build}
    for folder in set(builds.values()):
        for exe in ("wptsync", "wptsync-hook"):
            if not os.path.exists(os.path.join(folder, exe)):
                sys.exit(f"build first: swift build -c release --static-swift-stdlib (missing {folder}/{exe})")
    with tempfile.TemporaryDirectory(prefix="wptsync-workers-") as tmp:
        cluster = Cluster(tmp)
        try:
            print(f"{options.events} no-op events after {options.prefill} finished ones, then {options.pushes} hook runs;"
                  f" load average {os.getloadavg()[0]:.1f}", flush=True)
            for count in map(int, options.workers.split(",")):
                for backend, folder in builds.items():
                    rate, exits, starts = measure(backend, folder, cluster, count, options.events, options.pushes, options.prefill)
                    p90 = lambda values: sorted(values)[int(0.9 * (len(values) - 1))]
                    print(f"{backend:19} {count} worker(s): {rate:7.0f} events/s;  pickup from hook exit median {statistics.median(exits):6.1f} ms"
                          f" p90 {p90(exits):6.1f} (from hook start median {statistics.median(starts):6.1f}, p90 {p90(starts):6.1f})", flush=True)
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
