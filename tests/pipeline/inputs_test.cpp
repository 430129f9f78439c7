// Every way a user hands a tool its input is read once, whole: /dev/stdin,
// <(...) (/dev/fd/N), FIFOs, audit.log on stdin, gzip trails, directories
// of rotated audit.log files. Each tool opens a path once and sniffs the
// format from the bytes it reads, never from a second open.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include "pipeline/pipeline_helpers.h"

namespace bullion::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const std::string kGolden = shared_dir() + "/golden/trails/g07_s107_n2000.bsm";  // 2000 records, well over 4 KiB

// Runs argv with its stdin a pipe that a thread fills with `bytes`.
RunResult run_with_piped_stdin(const std::vector<std::string>& argv, const std::string& bytes) {
  Child::Options o;
  o.stdin_pipe = true;
  Child child(argv, o);
  std::thread writer([&] {
    child.write_stdin(bytes);
    child.close_stdin();
  });
  RunResult r = child.wait(seconds(60), false);
  writer.join();
  return r;
}

TEST(Inputs, DevStdinOfAPipeIsReadWhole) {
  const std::string trail = read_file(kGolden);
  ASSERT_GT(trail.size(), 4096u);
  const RunResult want = run_tool({"praudit", "-l", kGolden});
  ASSERT_EQ(want.exit_code, 0) << want.err;
  for (const char* flag : {"-l", "-lp"}) {
    const RunResult got = run_with_piped_stdin({"praudit", flag, "/dev/stdin"}, trail);
    EXPECT_EQ(got.exit_code, 0) << flag << ": " << got.err;
    EXPECT_EQ(count_lines(got.out), count_lines(want.out)) << flag;
    EXPECT_EQ(got.out, want.out) << flag;
  }
}

TEST(Inputs, ProcessSubstitutionIsReadWhole) {
  const std::string trail = read_file(kGolden);
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
  Child::Options o;
  o.fds = {{3, fds[0]}};  // praudit <(cat trail)
  Child child({"praudit", "-l", "/dev/fd/3"}, o);
  close(fds[0]);
  std::thread writer([&] {
    write_all(fds[1], trail);
    close(fds[1]);
  });
  const RunResult got = child.wait(seconds(60));
  writer.join();
  EXPECT_EQ(got.exit_code, 0) << got.err;
  EXPECT_EQ(got.out, run_tool({"praudit", "-l", kGolden}).out);
}

class FifoInput : public ::testing::TestWithParam<std::vector<std::string>> {};

// The FIFO is written once: a tool that opened it twice would wait forever
// for a second writer (the deadline then fails the test).
TEST_P(FifoInput, IsReadOnceAndGivesWhatTheFileGives) {
  ScratchDir dir;
  const std::string trail_path = dir / "trail.bsm";
  const std::string trail = generate_trail(trail_path, {"--seed", "5", "--records", "3000", "--clean"});
  const std::string fifo = dir / "fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::vector<std::string> with_file = GetParam(), with_fifo = GetParam();
  std::replace(with_file.begin(), with_file.end(), std::string("INPUT"), trail_path);
  std::replace(with_fifo.begin(), with_fifo.end(), std::string("INPUT"), fifo);
  const RunResult want = run_tool(with_file);
  Child child(with_fifo, {});
  std::thread writer([&] {
    const int fd = open_fifo_writer(fifo, seconds(20));
    if (fd < 0) return;
    write_all(fd, trail);
    close(fd);
  });
  const RunResult got = child.wait(seconds(30));
  writer.join();
  EXPECT_FALSE(got.timed_out) << "hung on the FIFO";
  EXPECT_EQ(got.exit_code, want.exit_code) << got.err;
  EXPECT_EQ(got.out, want.out);
  EXPECT_FALSE(want.out.empty());
}

INSTANTIATE_TEST_SUITE_P(Tools, FifoInput,
                         ::testing::Values(std::vector<std::string>{"commands", "INPUT"},
                                           std::vector<std::string>{"filewatcher", "--color=never", "INPUT"},
                                           std::vector<std::string>{"paudit", "--json", "-i", "INPUT", "ls"},
                                           std::vector<std::string>{"pwait", "-i", "INPUT", "ls"},
                                           std::vector<std::string>{"praudit", "-l", "INPUT"},
                                           std::vector<std::string>{"auditreduce", "-m", "AUE_EXECVE", "INPUT"}));

TEST(Inputs, AuditLogOnStdinIsSniffedAndTranslated) {
  const std::string log = shared_dir() + "/corpus/linux/golibaudit_audit-rhel7.log";
  const RunResult want = run_tool({"praudit", "-l", log});
  ASSERT_FALSE(want.out.empty()) << want.err;
  for (const std::vector<std::string>& argv :
       {std::vector<std::string>{"praudit", "-l"}, std::vector<std::string>{"praudit", "-l", "-"}}) {
    const RunResult piped = run_tool(argv, log);
    EXPECT_EQ(piped.out, want.out);
    EXPECT_EQ(piped.exit_code, want.exit_code) << piped.err;
    const RunResult through_pipe = run_with_piped_stdin(argv, read_file(log));
    EXPECT_EQ(through_pipe.out, want.out);
  }
}

std::string gzip_of(const std::string& path) {
  const RunResult r = run_tool({"/usr/bin/gzip", "-c", "-n", path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

TEST(Inputs, GzipTrailsAndLogsAreReadAsTheirContent) {
  ScratchDir dir;
  const std::string gz = dir / "trail.bsm.gz";
  write_file(gz, gzip_of(kGolden));
  const RunResult want = run_tool({"praudit", "-l", kGolden});
  const RunResult got = run_tool({"praudit", "-l", gz});
  EXPECT_EQ(got.exit_code, 0) << got.err;
  EXPECT_EQ(got.out, want.out);
  EXPECT_EQ(run_tool({"praudit", "-l"}, gz).out, want.out);  // sniffed on stdin too
  EXPECT_EQ(run_tool({"auditreduce", "-m", "AUE_EXECVE", gz}).out,
            run_tool({"auditreduce", "-m", "AUE_EXECVE", kGolden}).out);

  const std::string log = shared_dir() + "/corpus/linux/golibaudit_audit-rhel7.log";
  const std::string log_gz = dir / "audit.log.1.gz";
  write_file(log_gz, gzip_of(log));
  EXPECT_EQ(run_tool({"praudit", "-l", log_gz}).out, run_tool({"praudit", "-l", log}).out);
}

TEST(Inputs, CorruptGzipIsDamageWithWhatCameBefore) {
  ScratchDir dir;
  std::string bytes = gzip_of(kGolden);
  bytes.resize(bytes.size() / 2);  // cut mid-stream
  const std::string gz = dir / "cut.bsm.gz";
  write_file(gz, bytes);
  const RunResult got = run_tool({"praudit", "-l", gz});
  EXPECT_EQ(got.exit_code, 1);
  EXPECT_GT(count_lines(got.out), 10u);
  EXPECT_NE(got.err.find(gz + ": offset "), std::string::npos) << got.err;
}

TEST(Inputs, DirectoryOfRotatedAuditLogsIsReadOldestFirst) {
  ScratchDir dir;
  const std::string corpus = shared_dir() + "/corpus/linux/";
  const std::string a = corpus + "golibaudit_audit-rhel7.log", b = corpus + "auditusp_test4.log",
                    c = corpus + "golibaudit_test3.log";
  write_file(dir / "audit.log.2", read_file(a));
  write_file(dir / "audit.log.1", read_file(b));
  write_file(dir / "audit.log", read_file(c));
  write_file(dir / "notes.txt", "not a log\n");
  const RunResult got = run_tool({"praudit", "-l", dir.path().string()});
  const std::string want =
      run_tool({"praudit", "-l", a}).out + run_tool({"praudit", "-l", b}).out + run_tool({"praudit", "-l", c}).out;
  EXPECT_FALSE(want.empty());
  EXPECT_EQ(got.out, want) << got.err;
}

}  // namespace
}  // namespace bullion::testing
