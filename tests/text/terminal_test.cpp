// praudit on a terminal: strings from the trail cannot drive the reader's
// terminal (escape sequences, carriage returns, C1 controls), while piped
// output keeps OpenBSM's exact bytes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "bullion/bsm/encoder.h"
#include "support/pty.h"
#include "support/run.h"
#include "text/escape.h"

namespace bullion::testing {
namespace {

std::string safe(std::string_view s) {
  std::string out;
  text::append_terminal_safe(out, s);
  return out;
}

TEST(TerminalSafe, EscapesWhatATerminalWouldAct) {
  EXPECT_EQ(safe("/tmp/\x1b]0;owned\x07x"), "/tmp/\\x1b]0;owned\\x07x");  // retitle the window
  EXPECT_EQ(safe("a\rb\nc\td"), "a\\rb\\nc\\td");
  EXPECT_EQ(safe("back\\slash"), "back\\\\slash");  // so every escape reads one way
  EXPECT_EQ(safe("c1:\xc2\x9b"
                 "31m"),
            "c1:\\xc2\\x9b31m");  // CSI as a C1 control
  EXPECT_EQ(safe("bad\xff\xfe"), "bad\\xff\\xfe");
  EXPECT_EQ(safe("del\x7f"), "del\\x7f");
  EXPECT_EQ(safe(std::string_view("nul\0end", 7)), "nulend");
  EXPECT_EQ(safe("Grüße файл 😀 ©"), "Grüße файл 😀 ©");  // printable UTF-8 passes
}

std::string hostile_trail() {
  bsm::RecordBuilder b;
  b.begin_header32(23, 0, 1700000000, 1);
  b.path("/tmp/\x1b[2J\x1b]0;owned\x07name\rX");
  b.return32(0, 0);
  const auto rec = b.finish();
  const std::string path = ::testing::TempDir() + "/bullion_tty_" + std::to_string(getpid()) + ".bsm";
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(rec.data()), rec.size());
  return path;
}

TEST(TerminalSafe, PrauditEscapesOnATerminalAndKeepsBytesInAPipe) {
  const std::string trail = hostile_trail();
  const std::string praudit = std::string(BULLION_BIN_DIR) + "/praudit";
  const std::string on_tty = run_on_pty({praudit, "-l", trail});
  EXPECT_EQ(on_tty.find('\x1b'), std::string::npos) << on_tty;
  EXPECT_NE(on_tty.find("/tmp/\\x1b[2J\\x1b]0;owned\\x07name\\rX"), std::string::npos) << on_tty;

  const RunResult piped = run_tool({"praudit", "-l", trail});
  EXPECT_NE(piped.out.find("/tmp/\x1b[2J\x1b]0;owned\x07name\rX"), std::string::npos);  // OpenBSM's bytes
  const RunResult always = run_tool({"praudit", "-x", "--escape=always", trail});
  EXPECT_NE(always.out.find("<path>/tmp/\\x1b[2J"), std::string::npos) << always.out;
  const std::string never = run_on_pty({praudit, "--escape=never", trail});
  EXPECT_NE(never.find('\x1b'), std::string::npos);
  unlink(trail.c_str());
}

}  // namespace
}  // namespace bullion::testing
