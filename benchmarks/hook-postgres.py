#!/usr/bin/env python3
"""Hook wall time with the journal in PostgreSQL against SQLite (issue 15; see docs/PERFORMANCE.md).

Runs `wptsync-hook hg-changegroup` (release build) as Mercurial would, alternating between a
configuration with the SQLite journal and one with `[store] url` pointing at a throw-away
PostgreSQL cluster on 127.0.0.1 (initdb into a temporary folder; as the `postgres` user when run
as root). Every run records a new event. Prints median and 99th percentile of each.

By default it measures what a production hook meets: a new process per push, a journal that
already holds many finished events (`--prefill`, in both journals), and a password checked by
SCRAM-SHA-256 (`--auth scram`). `--prefill 0 --auth trust` is the friendlier pattern. `--ssl`
makes the server offer TLS, as a cluster Debian's postgresql package creates does. `--before DIR`
also runs another build's hook against the same PostgreSQL database, in turn with this one (A/B).
`--pgbouncer` adds a row through Debian's pgbouncer on a Unix socket (session pooling, `trust` on the
socket; it connects to the server with the password), as on a repository host. `--floor` adds the
floor of any libpq-based hook: `hook-postgres-floor.c` (connect as the hook does, its pipeline, exit).
Each row gives the wall time and the CPU time (user + system) of the process.

Usage: benchmarks/hook-postgres.py [--runs N] [--prefill N] [--auth scram|trust] [--ssl] [--bin DIR] [--before DIR]
                                   [--pgbouncer] [--floor]
       (after `swift build -c release --static-swift-stdlib --product wptsync-hook`)
"""
import argparse, glob, importlib.util, os, pwd, socket, statistics, subprocess, sys, tempfile, time

spec = importlib.util.spec_from_file_location("intake", os.path.join(os.path.dirname(os.path.abspath(__file__)), "hook-intake.py"))
intake = importlib.util.module_from_spec(spec)
spec.loader.exec_module(intake)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENV = dict(os.environ, HGPLAIN="1", HGRCPATH="", HGUSER="Bench <bench@example.com>")


def run(args, **kw):
    kw.setdefault("env", ENV)
    return subprocess.run(args, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def as_owner(args):
    return ["runuser", "-u", "postgres", "--"] + args if os.geteuid() == 0 else args


def percentile(samples, p):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--prefill", type=int, default=100_000, help="finished events in each journal before timing")
    parser.add_argument("--auth", choices=["scram", "trust"], default="scram")
    parser.add_argument("--ssl", action="store_true", help="the server offers TLS (a self-signed certificate)")
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "release"))
    parser.add_argument("--before", help="another build's folder whose wptsync-hook also runs, in turn, against PostgreSQL")
    parser.add_argument("--pgbouncer", action="store_true", help="also through pgbouncer on a Unix socket (apt-get install pgbouncer)")
    parser.add_argument("--floor", action="store_true", help="also a C program doing only the hook's libpq calls (gcc, libpq-dev)")
    options = parser.parse_args()
    hook = os.path.join(os.path.abspath(options.bin), "wptsync-hook")
    hooks = {"sqlite": hook, "postgresql": hook}
    if options.before:
        hooks = {"sqlite": hook, "postgresql (before)": os.path.join(os.path.abspath(options.before), "wptsync-hook"), "postgresql": hook}
    if options.pgbouncer:
        hooks["postgresql via pgbouncer"] = hook
    for path in set(hooks.values()):
        if not os.path.exists(path):
            sys.exit(f"build first: swift build -c release --static-swift-stdlib --product wptsync-hook (missing {path})")
    pg_bin = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
    with tempfile.TemporaryDirectory(prefix="wptsync-pgbench-") as tmp:
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(tmp, owner.pw_uid, owner.pw_gid)
        data = os.path.join(tmp, "data")
        password = "bench-password"
        with open(os.path.join(tmp, "pwfile"), "w") as f:
            f.write(password + "\n")
        os.chmod(os.path.join(tmp, "pwfile"), 0o644)
        auth = ["--auth=scram-sha-256", "--pwfile", os.path.join(tmp, "pwfile")] if options.auth == "scram" else ["--auth=trust"]
        run(as_owner([f"{pg_bin}/initdb", "-D", data, "-U", "wptsync", "--no-sync"] + auth), cwd=tmp)
        ssl = ""
        if options.ssl:
            run(["openssl", "req", "-new", "-x509", "-days", "2", "-nodes", "-subj", "/CN=127.0.0.1",
                 "-keyout", os.path.join(data, "server.key"), "-out", os.path.join(data, "server.crt")])
            if os.geteuid() == 0:
                for name in ("server.key", "server.crt"):
                    os.chown(os.path.join(data, name), owner.pw_uid, owner.pw_gid)
            os.chmod(os.path.join(data, "server.key"), 0o600)
            ssl = " -c ssl=on"
        ENV["PGPASSWORD"] = password
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        run(as_owner([f"{pg_bin}/pg_ctl", "-D", data, "-l", os.path.join(tmp, "log"), "-w", "-o",
                      f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={ssl}", "start"]), cwd=tmp)
        try:
            run([f"{pg_bin}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "wptsync", "bench"])
            repo = os.path.join(tmp, "autoland")
            run(["hg", "init", repo])
            run(["hg", "debugbuilddag", f"+{(len(hooks) + 1) * options.runs + 10}"], cwd=repo)
            nodes = run(["hg", "log", "-r", "0:tip", "-T", "{node}\n"], cwd=repo).stdout.decode().split()
            configs = {}
            for name, extra in [("sqlite", ""), ("postgresql", f'url = "postgresql://wptsync@127.0.0.1:{port}/bench"\n')]:
                configs[name] = os.path.join(tmp, f"{name}.toml")
                with open(configs[name], "w") as f:
                    f.write(f'[store]\npath = "{tmp}/{name}/wptsync.sqlite"\n{extra}\n[[gecko]]\nname = "autoland"\npath = "{repo}"\nrole = "integration"\n')
            configs["postgresql (before)"] = configs["postgresql"]
            commands = {name: ([path, "hg-changegroup"], configs.get(name)) for name, path in hooks.items()}
            if options.pgbouncer:
                socket_dir = start_pgbouncer(tmp, port, password)
                configs["pgbouncer"] = os.path.join(tmp, "pgbouncer.toml")
                with open(configs["pgbouncer"], "w") as f, open(configs["postgresql"]) as original:
                    f.write(original.read().replace(f"127.0.0.1:{port}", socket_dir.replace("/", "%2F") + ":6432"))
                commands["postgresql via pgbouncer"] = ([hook, "hg-changegroup"], configs["pgbouncer"])
            if options.floor:
                floor = os.path.join(tmp, "floor")
                run(["gcc", "-O2", "-o", floor, os.path.join(ROOT, "benchmarks", "hook-postgres-floor.c"), "-I/usr/include/postgresql", "-lpq"])
                commands["libpq floor (C)"] = ([floor, f"postgresql://wptsync@127.0.0.1:{port}/bench"], configs["postgresql"])
            # Any build with `migrate` will do: the debug one is built by the tests.
            wptsync = next(p for p in (os.path.join(ROOT, ".build", "debug", "wptsync"), os.path.join(options.bin, "wptsync")) if os.path.exists(p))
            run([wptsync, "migrate", "--config", configs["postgresql"]], env=dict(ENV, WPTSYNC_STORE_PASSWORD=password))
            prefill(options.prefill, pg_bin, port, os.path.join(tmp, "sqlite", "wptsync.sqlite"), hook, repo, configs["sqlite"], nodes[-1])
            times = {name: ([], []) for name in commands}
            for i in range(options.runs):
                for j, (name, (args, config)) in enumerate(commands.items()):
                    node = nodes[len(commands) * i + j]
                    env = dict(ENV, WPTSYNC_STORE_PASSWORD=password, WPTSYNC_CONFIG=config, HG_NODE=node, HG_NODE_LAST=node, HG_SOURCE="push", HG_HOOKTYPE="changegroup")
                    for sample, value in zip(times[name], intake.timed(args, cwd=repo, env=env,
                                                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)):
                        sample.append(value)
            counted = run([f"{pg_bin}/psql", "-h", "127.0.0.1", "-p", str(port), "-U", "wptsync", "-At", "-c", "SELECT count(*) FROM events", "bench"]).stdout.decode().strip()
            print(f"hook wall time, {options.runs} runs each, alternating (ms); auth {options.auth}{'; server offers TLS' if options.ssl else ''}; "
                  f"{options.prefill} finished events before; PostgreSQL events now: {counted}; load average {os.getloadavg()[0]:.1f}")
            for name, (wall, cpu) in times.items():
                print(f"  {name:24}  median {statistics.median(wall):6.1f}   p99 {percentile(wall, 99):6.1f}   cpu median {statistics.median(cpu):5.2f}")
        finally:
            if os.path.exists(os.path.join(tmp, "pgbouncer.pid")):
                os.kill(int(open(os.path.join(tmp, "pgbouncer.pid")).read()), 15)
            run(as_owner([f"{pg_bin}/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"]), cwd=tmp)


def start_pgbouncer(tmp, port, password):
    """pgbouncer on a Unix socket in `tmp` (port 6432 in its name), in front of the cluster; its socket folder."""
    with open(os.path.join(tmp, "pgbouncer.ini"), "w") as f:
        f.write(f"[databases]\nbench = host=127.0.0.1 port={port} dbname=bench user=wptsync password={password}\n"
                f"[pgbouncer]\nlisten_addr =\nlisten_port = 6432\nunix_socket_dir = {tmp}\nauth_type = trust\n"
                f"auth_file = {tmp}/pgbouncer.users\npool_mode = session\nignore_startup_parameters = options\n"
                f"logfile = {tmp}/pgbouncer.log\npidfile = {tmp}/pgbouncer.pid\nlog_connections = 0\nlog_disconnections = 0\n")
    with open(os.path.join(tmp, "pgbouncer.users"), "w") as f:
        f.write('"wptsync" ""\n')
    run(as_owner(["pgbouncer", "-d", os.path.join(tmp, "pgbouncer.ini")]), cwd=tmp)
    for _ in range(100):
        if os.path.exists(os.path.join(tmp, ".s.PGSQL.6432")):
            break
        time.sleep(0.05)
    return tmp


def prefill(count, pg_bin, port, sqlite_path, hook, repo, sqlite_config, node):
    """`count` finished events in each journal (the SQLite one is made by one hook run first)."""
    if count == 0:
        return
    env = dict(ENV, WPTSYNC_CONFIG=sqlite_config, HG_NODE=node, HG_NODE_LAST=node, HG_SOURCE="push", HG_HOOKTYPE="changegroup")
    subprocess.run([hook, "hg-changegroup"], cwd=repo, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = ("SELECT 'hg-push', 'autoland', 'prefill-' || n, '{{}}', 'done', 1, 0, 0 FROM {series}")
    columns = "INSERT INTO events (kind, repository, dedupe_key, payload, state, attempts, received_at, finished_at) "
    run([f"{pg_bin}/psql", "-h", "127.0.0.1", "-p", str(port), "-U", "wptsync", "-q", "-c",
         columns + rows.format(series=f"generate_series(1, {count}) AS n"), "bench"])
    run(["sqlite3", sqlite_path, f"WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {count}) "
         + columns + rows.format(series="s")])


if __name__ == "__main__":
    main()
