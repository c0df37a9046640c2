#!/usr/bin/env python3
"""wptrunner's side of the metadata benchmark (issue 13), driven by `benchmarks/metadata.py --wptrunner`.

Runs with a Python that has wptrunner's requirements (mozlog, mozinfo, six, html5lib) and imports
wptrunner from TOOLS, the `tools/` folder of a web-platform-tests checkout fetched separately: none
of wpt's code is in this repository.

  metadata_wptrunner.py TOOLS manifest TESTS MANIFEST
      writes MANIFEST.json for the test files under TESTS (url base `/`)
  metadata_wptrunner.py TOOLS update TESTS META MANIFEST PROPERTIES LOG...
      wptrunner's metadata update (`wpt update-expectations` without its VCS steps): updates the
      .ini files under META in place from the wptreport.json LOGs, conditions on the comma-separated
      PROPERTIES, no full update, intermittents neither recorded nor disabled
  metadata_wptrunner.py TOOLS dump META CONFIGURATIONS
      prints, as JSON, every .ini file under META: per section its keys as `[condition, value]`
      branches in file order, and its `expected` and `disabled` values in each configuration of the
      CONFIGURATIONS file (a JSON list of run_info objects); and each file's text
"""
import io, json, os, sys


def import_tools(tools):
    sys.path.insert(0, os.path.abspath(tools))
    import localpaths  # noqa: F401  (puts wpt's tools and third_party on sys.path)


def build_manifest(tests, manifest_path):
    from manifest import manifest
    manifest.load_and_update(tests, manifest_path, "/", rebuild=True, cache_root=None, parallel=False)


def update(tests, meta, manifest_path, properties, logs):
    from mozlog import structuredlog, handlers, formatters
    from wptrunner import metadata, wptcommandline
    logger = structuredlog.StructuredLogger("web-platform-tests")
    logger.add_handler(handlers.LogLevelFilter(handlers.StreamHandler(sys.stderr, formatters.MachFormatter()), "info"))
    structuredlog.set_default_logger(logger)
    paths = {"/": wptcommandline.TestRoot(tests, meta, manifest_path)}
    metadata.update_expected(paths, logs, update_properties=(properties.split(","), {}), full_update=False,
                             disable_intermittent=None, update_intermittent=False, remove_intermittent=False)


def dump(meta, configurations_path):
    from wptrunner.wptmanifest.backends import conditional
    from wptrunner.wptmanifest.serializer import ManifestSerializer
    with open(configurations_path) as f:
        configurations = json.load(f)
    serializer = ManifestSerializer()

    def section(item):
        keys = {}
        for key, branches in item._data.items():
            keys[key] = [[None if b.condition_node is None else serializer.visit(b.condition_node)[0], b.value]
                         for b in branches]
        evaluated = []
        for run_info in configurations:
            values = {}
            for key in ("expected", "disabled"):
                try:
                    values[key] = item.get(key, run_info) if key in item._data else None
                except KeyError:
                    values[key] = None
            evaluated.append(values)
        return {"keys": keys, "in": evaluated, "sections": {child.name: section(child) for child in item.children}}

    files = {}
    for folder, _, names in os.walk(meta):
        for name in names:
            if name.endswith(".ini"):
                path = os.path.join(folder, name)
                with open(path, "rb") as f:
                    text = f.read()
                files[os.path.relpath(path, meta)] = {**section(conditional.compile(io.BytesIO(text))),
                                                      "text": text.decode("utf-8")}
    json.dump(files, sys.stdout)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    tools, command, arguments = sys.argv[1], sys.argv[2], sys.argv[3:]
    import_tools(tools)
    if command == "manifest" and len(arguments) == 2:
        build_manifest(*arguments)
    elif command == "update" and len(arguments) >= 5:
        update(*arguments[:4], arguments[4:])
    elif command == "dump" and len(arguments) == 2:
        dump(*arguments)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
