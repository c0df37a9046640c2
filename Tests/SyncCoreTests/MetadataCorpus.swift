// Real Gecko expectation metadata files, byte for byte, for the parser's round-trip tests.
// Each names the public repository, commit and path it was read from.

enum MetadataCorpus {
    struct Entry: Sendable, CustomStringConvertible {
        let source: String
        let text: String
        var description: String { source }
    }

    static let all: [Entry] = [
        // conditions without a default, a worker test, an empty section, double blank lines
        Entry(source: "mozilla/gecko-dev@5b94cb40cd3e:testing/web-platform/meta/IndexedDB/idbobjectstore-rename-store.any.js.ini", text: ##"""
            [idbobjectstore-rename-store.any.sharedworker.html]
              expected:
                if (os == "linux") and not fission and debug: CRASH
              [IndexedDB object store rename covers key generator]
                expected:
                  if asan and fission: [PASS, FAIL]


            [idbobjectstore-rename-store.any.worker.html]
              expected:
                if (os == "linux") and not fission and debug: [OK, CRASH]
              [IndexedDB object store rename covers key generator]
                expected:
                  if asan and fission: [PASS, FAIL]


            [idbobjectstore-rename-store.any.html]

            [idbobjectstore-rename-store.any.serviceworker.html]
              [IndexedDB object store rename covers key generator]
                expected:
                  if (os == "linux") and not debug: [PASS, FAIL]

            """##),
        // a test and a subtest, each with one condition
        Entry(source: "mozilla/gecko-dev@1679bdbe568b:testing/web-platform/meta/FileAPI/BlobURL/cross-partition.tentative.https.html.ini", text: ##"""
            [cross-partition.tentative.https.html]
              expected:
                if tsan: CRASH
              [Blob URL shouldn't be fetched from a cross-partition service worker]
                expected:
                  if os == "android": FAIL

            """##),
        // __dir__.ini: prefs, leak-threshold and lsan-allowed lists, values with ':'
        Entry(source: "mozilla/gecko-dev@596210b5c7ef:testing/web-platform/meta/IndexedDB/__dir__.ini", text: ##"""
            prefs: [extensions.blocklist.enabled:false]
            leak-threshold: [default:51200, tab:51200]
            lsan-allowed: [Alloc, MakeRefPtr, MakeUnique, Malloc, NS_NewCancelableRunnableFunction, NS_NewPipe2, NS_NewRunnableFunction, NewPage, PR_NewMonitor, mozilla::Queue, mozilla::RemoteLazyInputStream::CloneWithRange, mozilla::RemoteLazyInputStreamThread::GetOrCreate, mozilla::ThreadEventQueue::PutEventInternal, mozilla::detail::EventQueueInternal, mozilla::ipc::MessageChannel::MessageChannel, nsSegmentedBuffer::AppendNewSegment, nsThread::nsThread, unknown stack]

            """##),
        // __dir__.ini: a list continued on the next line
        Entry(source: "mozilla/gecko-dev@7cee4cae6374:testing/web-platform/meta/url/__dir__.ini", text: ##"""
            leak-threshold: [default:51200, tab:51200]
            prefs: [network.dns.native-is-localhost:true,
                    network.url.useDefaultURI:true]

            """##),
        // max-asserts
        Entry(source: "mozilla/gecko-dev@811ed41bba59:testing/web-platform/meta/css/css-backgrounds/background-331.html.ini", text: ##"""
            [background-331.html]
              max-asserts: 2

            """##),
        // fuzzy under a condition with a single-quoted string
        Entry(source: "mozilla/gecko-dev@efe30e45187d:testing/web-platform/meta/css/css-backgrounds/inset-box-shadow-scroll.html.ini", text: ##"""
            [inset-box-shadow-scroll.html]
              fuzzy:
                if os == "linux" and os_version == "24.04" and processor == "x86_64" and display == 'x11': maxDifference=204-204;totalPixels=208-208

            """##),
        // punctuation and quotes in subtest names
        Entry(source: "mozilla/gecko-dev@c5c5a15ff382:testing/web-platform/meta/url/url-origin.any.js.ini", text: ##"""
            [url-origin.any.html]
              [Origin parsing: <http://!"$&'()*+,-.;=_`{}~/> without base]
                expected: FAIL

              [Origin parsing: <wss://!"$&'()*+,-.;=_`{}~/> without base]
                expected: FAIL


            [url-origin.any.worker.html]
              expected:
                if not fission and (os == "linux") and debug: [OK, CRASH]
              [Origin parsing: <http://!"$&'()*+,-.;=_`{}~/> without base]
                expected: FAIL

              [Origin parsing: <wss://!"$&'()*+,-.;=_`{}~/> without base]
                expected: FAIL

            """##),
        // conditions with a default value
        Entry(source: "mozilla/gecko-dev@4c07862df273:testing/web-platform/meta/dom/nodes/Document-createEvent.https.html.ini", text: ##"""
            [Document-createEvent.https.html]
              expected:
                if (os == "android") and fission: [OK, TIMEOUT]
              [Should throw NOT_SUPPORTED_ERR for non-legacy event interface "MutationEvent"]
                expected: FAIL

              [Should throw NOT_SUPPORTED_ERR for pluralized non-legacy event interface "MutationEvents"]
                expected: FAIL

              [TouchEvent should be an alias for TouchEvent.]
                expected:
                  if os == "android": PASS
                  PRECONDITION_FAILED

              [createEvent('TouchEvent') should be initialized correctly.]
                expected:
                  if os == "android": PASS
                  PRECONDITION_FAILED

              [touchevent should be an alias for TouchEvent.]
                expected:
                  if os == "android": PASS
                  PRECONDITION_FAILED

              [createEvent('touchevent') should be initialized correctly.]
                expected:
                  if os == "android": PASS
                  PRECONDITION_FAILED

              [TOUCHEVENT should be an alias for TouchEvent.]
                expected:
                  if os == "android": PASS
                  PRECONDITION_FAILED

              [createEvent('TOUCHEVENT') should be initialized correctly.]
                expected:
                  if os == "android": PASS
                  PRECONDITION_FAILED

            """##),
        // a trailing comment after a conditional list
        Entry(source: "mozilla/gecko-dev@0f57f6961f35:testing/web-platform/meta/css/css-fonts/font-variant-emoji-005.html.ini", text: ##"""
            [font-variant-emoji-005.html]
              expected:
                if os == "android": [PASS, FAIL] # may fail if device lacks a text font with U+20e3

            """##),
        // a parenthesised single comparison
        Entry(source: "mozilla/gecko-dev@efe30e45187d:testing/web-platform/meta/css/css-fonts/system-ui-mixed.html.ini", text: ##"""
            [system-ui-mixed.html]
              expected:
                if (os == "mac"): FAIL
                if (os == "win"): FAIL
                if os == "linux" and os_version == "24.04" and processor == "x86_64" and display == 'x11': FAIL

            """##),
        // query strings in test names
        Entry(source: "mozilla/gecko-dev@0d07f6a4dd59:testing/web-platform/meta/websockets/close-invalid.any.js.ini", text: ##"""
            [close-invalid.any.worker.html?wpt_flags=h2]
              expected:
                if (os == "linux") and not debug and fission: [OK, TIMEOUT]
                if (os == "linux") and not debug and not fission: TIMEOUT
                if (os == "android") and debug: [OK, TIMEOUT]
                if (os == "android") and not debug: [OK, ERROR, TIMEOUT]

            [close-invalid.any.html?wpt_flags=h2]
              expected:
                if (os == "linux") and fission: [OK, TIMEOUT]
                if os == "android": [OK, ERROR, TIMEOUT]
              [0 on a websocket]
                expected:
                  if os == "android": [PASS, FAIL]

              [500 on a websocket]
                expected:
                  if os == "android": [PASS, FAIL]

              [NaN on a websocket]
                expected:
                  if os == "android": [PASS, FAIL]

              [String on a websocket]
                expected:
                  if os == "android": [PASS, FAIL]

              [null on a websocket]
                expected:
                  if os == "android": [PASS, FAIL]

              [2**16+1000 on a websocket]
                expected:
                  if os == "android": [PASS, FAIL]


            [close-invalid.any.html?wss]

            [close-invalid.any.worker.html?wss]

            [close-invalid.any.html?default]

            [close-invalid.any.worker.html?default]

            """##),
        // a list as the default value
        Entry(source: "mozilla/gecko-dev@3bafc0f4d674:testing/web-platform/meta/encoding/textencoder-utf16-surrogates.any.js.ini", text: ##"""
            [textencoder-utf16-surrogates.any.html]

            [textencoder-utf16-surrogates.any.worker.html]

            [textencoder-utf16-surrogates.any.shadowrealm.html]
              expected: ERROR

            [textencoder-utf16-surrogates.any.shadowrealm-in-shadowrealm.html]
              expected: ERROR

            [textencoder-utf16-surrogates.any.shadowrealm-in-dedicatedworker.html]
              expected: ERROR

            [textencoder-utf16-surrogates.any.shadowrealm-in-window.html]
              expected: ERROR

            [textencoder-utf16-surrogates.https.any.shadowrealm-in-serviceworker.html]
              expected:
                if (os == "linux") and not debug and fission and (processor == "x86_64") and not asan and tsan: [TIMEOUT, ERROR]
                if (os == "win") and debug and (processor == "x86_64"): ERROR
                if (os == "linux") and debug and not fission: [TIMEOUT, ERROR]
                if (os == "linux") and not debug and not fission: [TIMEOUT, ERROR]
                if (os == "android") and debug and sessionHistoryInParent: ERROR
                if (os == "win") and not debug: ERROR
                if os == "mac": ERROR
                [ERROR, TIMEOUT]

            [textencoder-utf16-surrogates.https.any.shadowrealm-in-audioworklet.html]
              expected: ERROR

            [textencoder-utf16-surrogates.any.shadowrealm-in-sharedworker.html]
              expected: ERROR

            """##),
        // intermittent lists with their most frequent status first, defaults in subtests
        Entry(source: "mozilla/gecko-dev@46bddbe9a04b:testing/web-platform/meta/infrastructure/server/webtransport-h3.https.sub.any.js.ini", text: ##"""
            [webtransport-h3.https.sub.any.sharedworker.html]
              expected:
                if (os == "win") and not debug and (processor == "x86"): [OK, TIMEOUT]
                if (os == "mac") and debug: [OK, TIMEOUT]
                if (os == "android") and debug: [TIMEOUT, OK]
                if (os == "android") and not debug: [OK, TIMEOUT]
                [OK, TIMEOUT, CRASH]
              [WebTransport server should be running and should handle a bidirectional stream]
                expected:
                  if (os == "android") and debug: [TIMEOUT, FAIL]
                  if (os == "android") and not debug: [FAIL, TIMEOUT]
                  if os == "linux": [PASS, FAIL, TIMEOUT]
                  [PASS, TIMEOUT]


            [webtransport-h3.https.sub.any.serviceworker.html]
              expected:
                if (os == "linux") and fission and not debug and tsan: [OK, ERROR]
                if (os == "linux") and fission and not debug and not tsan: [OK, ERROR]
                if (os == "mac") and not debug: [OK, ERROR]
                if (os == "linux") and not fission: [OK, ERROR, CRASH]
                if os == "android": [TIMEOUT, OK]
              [WebTransport server should be running and should handle a bidirectional stream]
                expected:
                  if (os == "android") and release_or_beta: TIMEOUT
                  if os == "android": [TIMEOUT, FAIL]
                  [PASS, TIMEOUT]


            [webtransport-h3.https.sub.any.worker.html]
              expected:
                if (os == "linux") and debug and not fission: [OK, CRASH]
                if (os == "mac") and not debug: [OK, CRASH]
                if (os == "linux") and not debug: [OK, CRASH]
                if (os == "android") and debug: [TIMEOUT, OK]
                if (os == "android") and not debug: [OK, TIMEOUT]
              [WebTransport server should be running and should handle a bidirectional stream]
                expected:
                  if (os == "android") and debug: [TIMEOUT, FAIL]
                  if (os == "android") and not debug: [FAIL, TIMEOUT]
                  if os == "linux": [PASS, FAIL, TIMEOUT]
                  [PASS, TIMEOUT]


            [webtransport-h3.https.sub.any.html]
              expected:
                if (os == "android") and debug: [TIMEOUT, OK]
                if (os == "android") and not debug: [OK, TIMEOUT]
              [WebTransport server should be running and should handle a bidirectional stream]
                expected:
                  if (os == "android") and debug: [TIMEOUT, FAIL]
                  if (os == "android") and not debug: [FAIL, TIMEOUT]
                  [PASS, TIMEOUT]

            """##),
        // disabled under a condition, bug
        Entry(source: "mozilla/gecko-dev@0acec0e199c8:testing/web-platform/meta/webdriver/tests/classic/set_window_rect/set.py.ini", text: ##"""
            [set.py]
              disabled:
                if os == "android": Not supported
              [test_negative_x_y]
                bug: https://bugzilla.mozilla.org/show_bug.cgi?id=1563248
                expected:
                  if os == "mac": [PASS, FAIL]

            """##),
        // an escaped ']' in a subtest name
        Entry(source: "mozilla/gecko-dev@257568756592:testing/web-platform/meta/webdriver/tests/classic/perform_actions/pointer_mouse.py.ini", text: ##"""
            [pointer_mouse.py]
              [test_move_to_origin_position_within_frame[element\]]
                expected:
                  if os == "android": FAIL

            """##),
        // blank lines at the end of the file
        Entry(source: "Floorp-Projects/Floorp@b3058426c19d:testing/web-platform/meta/screen-wake-lock/wakelock-type.https.any.js.ini", text: ##"""
            [wakelock-type.https.any.html]
              ['TypeError' is thrown when set an invalid wake lock type]
                expected: FAIL

              ['TypeError' is thrown when set an empty wake lock type]
                expected: FAIL


            [wakelock-type.https.any.worker.html]
              ['TypeError' is thrown when set an invalid wake lock type]
                expected: FAIL

              ['TypeError' is thrown when set an empty wake lock type]
                expected: FAIL


            """##),
        // a combining character (non-ASCII) and escaped backslashes in subtest names
        Entry(source: "mozilla/gecko-dev@fd9f5f691b8c:testing/web-platform/meta/dom/nodes/Document-createElement.html.ini", text: ##"""
            [Document-createElement.html]
              expected:
                if (os == "android") and fission: [OK, TIMEOUT]
              [createElement("̀foo") in HTML document]
                expected: FAIL

              [createElement("̀foo") in XML document]
                expected: FAIL

              [createElement("̀foo") in XHTML document]
                expected: FAIL

              [createElement("f}oo") in HTML document]
                expected: FAIL

              [createElement("f}oo") in XML document]
                expected: FAIL

              [createElement("f}oo") in XHTML document]
                expected: FAIL

              [createElement("foo}") in HTML document]
                expected: FAIL

              [createElement("foo}") in XML document]
                expected: FAIL

              [createElement("foo}") in XHTML document]
                expected: FAIL

              [createElement("\\ufffffoo") in HTML document]
                expected: FAIL

              [createElement("\\ufffffoo") in XML document]
                expected: FAIL

              [createElement("\\ufffffoo") in XHTML document]
                expected: FAIL

              [createElement("f\\uffffoo") in HTML document]
                expected: FAIL

              [createElement("f\\uffffoo") in XML document]
                expected: FAIL

              [createElement("f\\uffffoo") in XHTML document]
                expected: FAIL

              [createElement("foo\\uffff") in HTML document]
                expected: FAIL

              [createElement("foo\\uffff") in XML document]
                expected: FAIL

              [createElement("foo\\uffff") in XHTML document]
                expected: FAIL

              [createElement("f<oo") in HTML document]
                expected: FAIL

              [createElement("f<oo") in XML document]
                expected: FAIL

              [createElement("f<oo") in XHTML document]
                expected: FAIL

              [createElement("̀") in HTML document]
                expected: FAIL

              [createElement("̀") in XML document]
                expected: FAIL

              [createElement("̀") in XHTML document]
                expected: FAIL

            """##),
        // escaped ']', backslashes and quotes in subtest names
        Entry(source: "mozilla/gecko-dev@edcefd70b7aa:testing/web-platform/meta/dom/nodes/DOMImplementation-createDocumentType.html.ini", text: ##"""
            [DOMImplementation-createDocumentType.html]
              expected:
                if (os == "android") and fission: [OK, TIMEOUT]
              [createDocumentType("", "", "") should work]
                expected: FAIL

              [createDocumentType("1foo", "", "") should work]
                expected: FAIL

              [createDocumentType("@foo", "", "") should work]
                expected: FAIL

              [createDocumentType("foo@", "", "") should work]
                expected: FAIL

              [createDocumentType("f@oo", "", "") should work]
                expected: FAIL

              [createDocumentType("edi:{", "", "") should work]
                expected: FAIL

              [createDocumentType("edi:}", "", "") should work]
                expected: FAIL

              [createDocumentType("edi:~", "", "") should work]
                expected: FAIL

              [createDocumentType("edi:'", "", "") should work]
                expected: FAIL

              [createDocumentType("edi:!", "", "") should work]
                expected: FAIL

              [createDocumentType("edi:@", "", "") should work]
                expected: FAIL

              [createDocumentType("edi:#", "", "") should work]
                expected: FAIL

              [createDocumentType("edi:$", "", "") should work]
                expected: FAIL

              [createDocumentType("edi:%", "", "") should work]
                expected: FAIL

              [createDocumentType("edi:^", "", "") should work]
                expected: FAIL

              [createDocumentType("edi:&", "", "") should work]
                expected: FAIL

              [createDocumentType("edi:*", "", "") should work]
                expected: FAIL

              [createDocumentType("edi:(", "", "") should work]
                expected: FAIL

              [createDocumentType("edi:)", "", "") should work]
                expected: FAIL

              [createDocumentType("edi:+", "", "") should work]
                expected: FAIL

              [createDocumentType("edi:=", "", "") should work]
                expected: FAIL

              [createDocumentType("edi:[", "", "") should work]
                expected: FAIL

              [createDocumentType("edi:\]", "", "") should work]
                expected: FAIL

              [createDocumentType("edi:\\\\", "", "") should work]
                expected: FAIL

              [createDocumentType("edi:/", "", "") should work]
                expected: FAIL

              [createDocumentType("edi:;", "", "") should work]
                expected: FAIL

              [createDocumentType("edi:`", "", "") should work]
                expected: FAIL

              [createDocumentType("edi:<", "", "") should work]
                expected: FAIL

              [createDocumentType("edi:,", "", "") should work]
                expected: FAIL

              [createDocumentType("edi:\\"", "", "") should work]
                expected: FAIL

              [createDocumentType("{", "", "") should work]
                expected: FAIL

              [createDocumentType("}", "", "") should work]
                expected: FAIL

              [createDocumentType("'", "", "") should work]
                expected: FAIL

              [createDocumentType("~", "", "") should work]
                expected: FAIL

              [createDocumentType("`", "", "") should work]
                expected: FAIL

              [createDocumentType("@", "", "") should work]
                expected: FAIL

              [createDocumentType("#", "", "") should work]
                expected: FAIL

              [createDocumentType("$", "", "") should work]
                expected: FAIL

              [createDocumentType("%", "", "") should work]
                expected: FAIL

              [createDocumentType("^", "", "") should work]
                expected: FAIL

              [createDocumentType("&", "", "") should work]
                expected: FAIL

              [createDocumentType("*", "", "") should work]
                expected: FAIL

              [createDocumentType("(", "", "") should work]
                expected: FAIL

              [createDocumentType(")", "", "") should work]
                expected: FAIL

              [createDocumentType(":foo", "", "") should work]
                expected: FAIL

              [createDocumentType("foo:", "", "") should work]
                expected: FAIL

              [createDocumentType("prefix::local", "", "") should work]
                expected: FAIL

            """##),
    ]
}
