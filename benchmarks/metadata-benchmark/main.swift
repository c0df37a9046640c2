// Times a metadata update from wptreport.json files (driven by benchmarks/metadata.py).
// Usage: MetadataBenchmark REPORTS_DIR GECKO_ROOT OUT_DIR
//
// Timed, each phase on its own: decoding every `*.json` in REPORTS_DIR (WPTReport.decodeRuns), reading
// and parsing the metadata files the results name under GECKO_ROOT (`testing/web-platform/meta/…`),
// the update itself (MetadataPlan.apply), rendering the changed files, and writing them into OUT_DIR
// (same layout, no fsync; a deleted file is written as an empty `<path>.deleted`; `-` writes nothing). Prints
// one JSON object.
import Foundation
import Remote
import SyncCore

let arguments = CommandLine.arguments
guard arguments.count == 4 else {
    FileHandle.standardError.write(Data("usage: MetadataBenchmark REPORTS_DIR GECKO_ROOT OUT_DIR\n".utf8))
    exit(2)
}
let (reportsDir, geckoRoot, outDir) = (arguments[1], arguments[2], arguments[3])

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) * 1000 + Double(t.tv_nsec) / 1_000_000
}

do {
    var phases: [(String, Double)] = []
    var start = now()
    func lap(_ name: String) {
        let end = now()
        phases.append((name, end - start))
        start = end
    }
    let reportFiles = try FileManager.default.contentsOfDirectory(atPath: reportsDir).filter { $0.hasSuffix(".json") }.sorted()
    let results = try WPTReport.decodeRuns(reportFiles.map { (try Data(contentsOf: URL(fileURLWithPath: reportsDir + "/" + $0)), $0) })
    lap("decode_ms")
    var files: [String: MetadataFile] = [:]
    for path in MetadataPlan.paths(testIDs: results.keys) {
        guard let data = FileManager.default.contents(atPath: geckoRoot + "/" + path) else { continue }
        files[path] = try MetadataParser.parse(bytes: Array(data), file: path)
    }
    lap("read_ms")
    let outcome = MetadataPlan().apply(files: files, results: results)
    lap("update_ms")
    let rendered = outcome.changes.map { path, change in
        switch change {
        case .write(let file): (outDir + "/" + path, file.text)
        case .delete: (outDir + "/" + path + ".deleted", "")
        }
    }
    lap("render_ms")
    // Each folder made once; each file written with open/write/close and no fsync, as wptrunner writes
    // (Data.write fsyncs every file: most of the time, and disk-bound).
    var folders = Set<String>()
    for (target, var text) in rendered where outDir != "-" {
        let folder = (target as NSString).deletingLastPathComponent
        if folders.insert(folder).inserted { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let fd = open(target, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0, text.withUTF8({ write(fd, $0.baseAddress, $0.count) == $0.count }), close(fd) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target])
        }
    }
    lap("write_ms")
    let subtests = results.values.reduce(0) { $0 + ($1.first?.subtests.count ?? 0) }
    var fields = phases.map { "\"\($0.0)\": \(String(format: "%.1f", $0.1))" }
    fields += ["\"reports\": \(reportFiles.count)", "\"tests\": \(results.count)", "\"subtests\": \(subtests)",
               "\"files_read\": \(files.count)", "\"files_changed\": \(outcome.changes.count)"]
    print("{" + fields.joined(separator: ", ") + "}")
} catch {
    FileHandle.standardError.write(Data("MetadataBenchmark: \(error)\n".utf8))
    exit(1)
}
