import Foundation

extension Worker {
    /// Runs the periodic tasks that are due; a failing task is logged and tried at its next turn.
    func runPeriodicTasks() {
        for (index, task) in periodic.enumerated() {
            if let last = lastPeriodicRun[index], now().timeIntervalSince(last) < task.interval { continue }
            lastPeriodicRun[index] = now()
            var failure: String?
            do {
                for line in try task.run() { logger.info("\(line)") }
            } catch {
                failure = redactor("\(error)")
                logger.warning("periodic task failed", metadata: ["task": "\(task.name)", "error": "\(failure ?? "")"])
            }
            // A success is written at most once a minute (frequent tasks would write on every pass);
            // a failure every time, and the first success after it at once.
            if failure == nil, let recorded = lastRecordedSuccess[index], now().timeIntervalSince(recorded) < Self.periodicRecordSeconds { continue }
            lastRecordedSuccess[index] = failure == nil ? now() : nil
            do { try operations?.recordPeriodicRun(task.name, at: now(), error: failure) } catch {
                logger.warning("cannot record the periodic task's run", metadata: ["task": "\(task.name)", "error": "\(error)"])
            }
        }
    }
}
