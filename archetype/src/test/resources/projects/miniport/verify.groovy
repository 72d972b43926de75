// Runs after the generated project's verify (archetype:integration-test's post-build hook): the
// generated driver keeps vmini's layout, one concern per file (docs/getting-started.md lists them).
// basedir is the IT's directory (projects/miniport); the plugin generates into project/<artifactId>.
def sources = new File(basedir, "project/my-miniport/src/main/java/com/example/nic")
def expected = ["Miniport", "Adapter", "ControlPath", "DataPath", "SendPath", "ReceivePath", "Locks", "Interrupt", "Hardware"]
def found = sources.listFiles().findAll { it.name.endsWith(".java") }.collect { it.name - ".java" }.sort()
assert found == expected.sort() : "generated sources in ${sources}: expected ${expected.sort()}, found ${found}"
def dataPath = new File(sources, "DataPath.java").text
assert !dataPath.contains("sendLock") && !dataPath.contains("receiveLock") : "DataPath spans both halves; each half's lock lives in its own file"
assert new File(sources, "SendPath.java").text.contains("void sendNetBufferLists(")
assert new File(sources, "ReceivePath.java").text.contains("boolean indicateReceives(")
return true
