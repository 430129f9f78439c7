// auditview's page in a real browser: headless Chromium (Debian's package,
// installed by scripts/install-deps.sh) loads the written file, and
// tests/view/browser.py drives it over the DevTools protocol: what the DOM
// shows, clicks, typing, wheel zoom, a screenshot, and what the page tried
// to fetch or run.
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "support/run.h"
#include "tools/trail_builder.h"

namespace bullion::testing {
namespace {

// "@ROWS@" in a step: the command texts of the tree's rows, in order.
constexpr const char* kRowsJs = "[...document.querySelectorAll('#tree .row .cmd')].map(e => e.textContent)";

struct Browsed {
  std::vector<std::string> values;  // one JSON value per "eval" or "screenshot" step
  std::string end;                  // {"exceptions": N, "errors": [...], "requests": [...]}
  std::string err;
};

// Writes the page for `trail` and runs the steps on it (see browser.py).
Browsed browse(const std::string& trail, const std::string& name, const std::string& fragment,
               const std::string& steps) {
  const std::string page = ::testing::TempDir() + "bullion_view_" + std::to_string(getpid()) + "_" + name + ".html";
  const auto written = run_tool({"auditview", "-o", page, trail});
  EXPECT_EQ(written.exit_code, 0) << written.err;
  std::string script = steps;
  for (size_t at; (at = script.find("@ROWS@")) != std::string::npos;) script.replace(at, 6, kRowsJs);
  const auto r = run_tool({"/usr/bin/python3", std::string(BULLION_SOURCE_DIR) + "/tests/view/browser.py",
                           "file://" + page + fragment, script});
  EXPECT_EQ(r.exit_code, 0) << r.err.substr(0, 3000);
  Browsed b;
  size_t start = 0;
  for (size_t nl; (nl = r.out.find('\n', start)) != std::string::npos; start = nl + 1) {
    b.values.push_back(r.out.substr(start, nl - start));
  }
  if (!b.values.empty()) {
    b.end = b.values.back();
    b.values.pop_back();
  }
  b.err = r.err;
  return b;
}

constexpr const char* kClean = R"~({"exceptions": 0, "errors": [], "requests": []})~";

TEST(AuditviewBrowser, ShowsTheTreeAndTheSelectedProcesssFilesAndCommands) {
  TrailBuilder t;
  t.exec(10, "/usr/sbin/sshd", {"sshd", "-D"});
  t.fork(10, 11);
  t.exec(11, "/bin/bash", {"-bash"});
  t.fork(11, 12);
  t.exec(12, "/bin/cat", {"cat", "/etc/passwd"});
  t.file_event(12, kAueOpenR, "/etc/passwd");
  t.file_event(12, kAueOpenR, "/etc/shadow", 13);
  t.exit(12);
  const auto b = browse(t.write("dom.bsm"), "dom", "#select=3", R"~([
    {"eval": "@ROWS@"},
    {"eval": "document.querySelector('#details h2').textContent"},
    {"eval": "[...document.querySelectorAll('#details table.files tr')].slice(1).map(r => [...r.children].map(c => c.textContent).join('|'))"},
    {"eval": "[...document.querySelectorAll('#details table.commands td.argv')].map(e => e.textContent)"},
    {"eval": "[...document.querySelectorAll('#details table.failures td')].slice(0, 2).map(e => e.textContent)"},
    {"eval": "document.querySelector('#tree .row.selected').dataset.pid"}
  ])~");
  ASSERT_EQ(b.values.size(), 6u) << b.err;
  EXPECT_EQ(b.values[0], R"~(["sshd -D", "-bash", "cat /etc/passwd"])~");
  EXPECT_EQ(b.values[1], R"~("cat /etc/passwd")~");
  EXPECT_EQ(b.values[2],
            R"~(["/bin/cat||||||1|||22:13:24.000|22:13:24.000", "/etc/passwd|1||||||||22:13:25.000|22:13:25.000", )~"
            R"~("/etc/shadow||||||||1|22:13:26.000|22:13:26.000"])~");
  EXPECT_EQ(b.values[3], R"~(["cat /etc/passwd"])~");
  EXPECT_EQ(b.values[4], R"~(["EACCES (Permission denied)", "1"])~");
  EXPECT_EQ(b.values[5], R"~("12")~");
  EXPECT_EQ(b.end, kClean);
}

TEST(AuditviewBrowser, CollapseExpandSearchAndZoomRespondToTheUser) {
  TrailBuilder t;
  t.exec(10, "/usr/sbin/sshd", {"sshd"});
  t.fork(10, 11);
  t.exec(11, "/bin/bash", {"bash"});
  t.file_event(11, kAueOpenR, "/home/alice/notes.txt");
  t.exec(20, "/usr/sbin/cron", {"cron"});
  t.time += 3600;  // an hour later: something to zoom into
  t.fork(20, 21);
  t.exec(21, "/usr/bin/backup", {"backup", "--all"});
  const auto b = browse(t.write("ui.bsm"), "ui", "", R"~([
    {"eval": "document.querySelectorAll('#tree .row').length"},
    {"click": "#tree .row[data-pid='10'] .toggle"},
    {"eval": "@ROWS@"},
    {"click": "#collapse-all"},
    {"eval": "document.querySelectorAll('#tree .row').length"},
    {"click": "#expand-all"},
    {"eval": "document.querySelectorAll('#tree .row').length"},
    {"type": "notes", "into": "#search"},
    {"wait": "document.getElementById('search-text').textContent !== ''"},
    {"eval": "@ROWS@"},
    {"eval": "document.getElementById('search-text').textContent"},
    {"eval": "document.getElementById('window-text').textContent"},
    {"wheel": "#timeline", "deltaY": -300},
    {"eval": "document.getElementById('window-text').textContent"},
    {"click": "#zoom-reset"},
    {"eval": "document.getElementById('window-text').textContent"},
    {"click": "#tree .row[data-pid='11']"},
    {"eval": "document.querySelector('#details h2').textContent"},
    {"eval": "document.querySelectorAll('#timeline rect.lane').length"}
  ])~");
  ASSERT_EQ(b.values.size(), 11u) << b.err;
  EXPECT_EQ(b.values[0], "4");
  EXPECT_EQ(b.values[1], R"~(["sshd", "cron", "backup --all"])~") << "sshd collapsed: bash hidden";
  EXPECT_EQ(b.values[2], "2");
  EXPECT_EQ(b.values[3], "4");
  EXPECT_EQ(b.values[4], R"~(["sshd", "bash"])~") << "the match and its ancestors";
  EXPECT_EQ(b.values[5], R"~("1 match")~");
  EXPECT_EQ(b.values[6], R"~("2023-11-14 22:13:20.000 – 2023-11-14 23:13:26.001 UTC")~");
  EXPECT_NE(b.values[7], b.values[6]) << "the wheel zoomed in";
  EXPECT_EQ(b.values[8], b.values[6]) << "back to the whole trail";
  EXPECT_EQ(b.values[9], R"~("bash")~");
  EXPECT_EQ(b.values[10], "1") << "the selected process's bar";
  EXPECT_EQ(b.end, kClean);
}

TEST(AuditviewBrowser, ScreenshotIsNotBlank) {
  TrailBuilder t;
  t.exec(10, "/usr/sbin/sshd", {"sshd"});
  for (uint32_t child = 11; child < 30; ++child) {
    t.fork(10, child);
    t.exec(child, "/bin/sh", {"sh", "-c", "job " + std::to_string(child)});
    t.file_event(child, kAueOpenW, "/var/log/job" + std::to_string(child));
    t.exit(child);
  }
  const std::string shot = ::testing::TempDir() + "bullion_view_shot_" + std::to_string(getpid()) + ".png";
  const auto b = browse(t.write("shot.bsm"), "shot", "#select=2", R"~([{"screenshot": ")~" + shot + R"~("}])~");
  ASSERT_EQ(b.values.size(), 1u) << b.err;
  // {"width": W, "height": H, "colours": N, "non_background": F}
  const std::string& stats = b.values[0];
  const size_t colours_at = stats.find("\"colours\": ");
  const size_t share_at = stats.find("\"non_background\": ");
  ASSERT_NE(colours_at, std::string::npos) << stats;
  ASSERT_NE(share_at, std::string::npos) << stats;
  EXPECT_GT(std::stoi(stats.substr(colours_at + 11)), 50) << stats;  // text, bars, badges: many shades
  EXPECT_GT(std::stod(stats.substr(share_at + 18)), 0.05) << stats;
  EXPECT_EQ(b.end, kClean);
}

TEST(AuditviewBrowser, HostileTrailCannotInjectMarkupOrScript) {
  TrailBuilder t;
  t.exec(66, "/tmp/</script><script>document.title='pwned'</script>",
         {"sh", "-c", "<img src=x onerror=\"document.title='pwned'\">", "\xff\xfe", "a\nb", "<!--", "\xe2\x80\xa8"});
  t.file_event(66, kAueOpenR, "\"><h1 id=pwned>x</h1><!--");
  t.file_event(66, kAueOpenW, "/tmp/<svg onload=document.title='pwned'>\x1b[31m\n");
  const auto b = browse(t.write("hostile.bsm"), "hostile", "#select=1", R"~([
    {"eval": "document.title"},
    {"eval": "document.querySelector('#pwned') === null"},
    {"eval": "[document.scripts.length, document.images.length, document.querySelectorAll('h1').length, document.querySelectorAll('#tree svg, #details svg').length]"},
    {"eval": "[...document.querySelectorAll('#details table.files td.path')].map(e => e.textContent)"},
    {"eval": "document.querySelector('#details table.commands td.path').textContent"},
    {"eval": "document.querySelector('#details table.commands td.argv').textContent"}
  ])~");
  ASSERT_EQ(b.values.size(), 6u) << b.err;
  EXPECT_EQ(b.values[0], R"~("auditview")~");
  EXPECT_EQ(b.values[1], "true");
  EXPECT_EQ(b.values[2], "[2, 0, 1, 0]") << "only the page's own scripts and heading; no element from the data";
  // The strings are shown as text, control characters as escapes.
  EXPECT_EQ(b.values[3],
            "[\"/tmp/</script><script>document.title='pwned'</script>\", "
            "\"\\\"><h1 id=pwned>x</h1><!--\", "
            "\"/tmp/<svg onload=document.title='pwned'>\\\\x1b[31m\\\\n\"]");
  EXPECT_EQ(b.values[4], "\"/tmp/</script><script>document.title='pwned'</script>\"");
  EXPECT_EQ(b.values[5],
            "\"sh -c '<img src=x onerror=\\\"document.title='\\\\''pwned'\\\\''\\\">' \xef\xbf\xbd\xef\xbf\xbd "
            "'a\\\\nb' '<!--' '\xe2\x80\xa8'\"");
  // No exception, and no blocked script either: a script that got into the
  // page would show as a Content-Security-Policy error here.
  EXPECT_EQ(b.end, kClean);
}

TEST(AuditviewBrowser, LargeListsAreDrawnAPageAtATime) {
  TrailBuilder t;
  for (uint32_t pid = 1000; pid < 3500; ++pid) t.file_event(pid, kAueOpenR, "/f");
  const auto b = browse(t.write("lazy.bsm"), "lazy", "", R"~([
    {"eval": "document.querySelectorAll('#tree .row').length"},
    {"click": "#tree .more button"},
    {"eval": "document.querySelectorAll('#tree .row').length"},
    {"eval": "document.querySelector('#tree .more button').textContent"}
  ])~");
  ASSERT_EQ(b.values.size(), 3u) << b.err;
  EXPECT_EQ(b.values[0], "200");
  EXPECT_EQ(b.values[1], "400");
  EXPECT_EQ(b.values[2], R"~("show 200 more of 2100")~");
  EXPECT_EQ(b.end, kClean);
}

}  // namespace
}  // namespace bullion::testing
