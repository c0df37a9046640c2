import Foundation
@testable import Remote
import Testing

@Suite("Treeherder job rows")
struct JobRowsTests {
    private func page(_ text: String) throws -> JobPage { try JSONCoding.decode(JobPage.self, from: Array(text.utf8)) }

    @Test func columnsAreReadByNameWhateverTheirOrder() throws {
        let rows = try page(#"{"count":1,"next":null,"job_property_names":["task_id","state","result","job_type_name","id","tier"],"results":[["abc","completed","success","test-x",7,2]]}"#)
        let job = try rows.jobs(source: "here").first
        #expect(job?.taskID == "abc" && job?.id == 7 && job?.tier == 2 && job?.platform == nil)
    }

    @Test func aMissingColumnOrCellIsAClearError() throws {
        let noTask = try page(#"{"next":null,"job_property_names":["id","state","result","job_type_name"],"results":[]}"#)
        #expect(throws: RemoteError.decoding(type: "jobs of here", field: "job_property_names", message: "no 'task_id' column")) {
            try noTask.jobs(source: "here")
        }
        let short = try page(#"{"next":null,"job_property_names":["id","state","result","job_type_name","task_id"],"results":[[1,"completed"]]}"#)
        let error = try #require(throws: RemoteError.self) { try short.jobs(source: "here") }
        #expect("\(error)".contains("results[0]"))
    }
}
