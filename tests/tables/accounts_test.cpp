#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "tables_test_support.h"

namespace bullion::tables {
namespace {

using testing::golden_root;

std::unique_ptr<Accounts> golden_accounts() {
  auto accounts = Accounts::from_files(golden_root() + "/etc/passwd", golden_root() + "/etc/group");
  EXPECT_TRUE(accounts.ok()) << accounts.error().message;
  return accounts.ok() ? std::move(*accounts) : Accounts::system();
}

// A temporary file removed when the test ends.
class TempFile {
 public:
  explicit TempFile(std::string_view text) {
    char name[] = "/tmp/bullion_tables_XXXXXX";
    int fd = mkstemp(name);
    path_ = name;
    ::close(fd);
    std::ofstream(path_) << text;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(Accounts, ResolvesGoldenRootUsersAndGroups) {
  auto accounts = golden_accounts();
  EXPECT_EQ(accounts->user_name(0), "root");
  EXPECT_EQ(accounts->user_name(1000), "cloudsdk");
  EXPECT_EQ(accounts->user_name(101), "postgres");
  EXPECT_EQ(accounts->group_name(27), "sudo");
  EXPECT_EQ(accounts->group_name(65534), "nogroup");
  EXPECT_EQ(accounts->user_id("nobody"), 65534u);
  EXPECT_EQ(accounts->group_id("ssl-cert"), 103u);
}

TEST(Accounts, UnknownIdsAndNamesAreNullopt) {
  auto accounts = golden_accounts();
  EXPECT_EQ(accounts->user_name(4242), std::nullopt);
  EXPECT_EQ(accounts->group_name(4242), std::nullopt);
  EXPECT_EQ(accounts->user_id("nosuchuser"), std::nullopt);
  EXPECT_EQ(accounts->group_id("nosuchgroup"), std::nullopt);
}

TEST(Accounts, FirstEntryWinsForDuplicateIds) {
  TempFile passwd("toor:x:0:0::/root:/bin/sh\nroot:x:0:0::/root:/bin/sh\n+nis::::::\nbad line\n");
  auto accounts = Accounts::from_files(passwd.path(), golden_root() + "/etc/group");
  ASSERT_TRUE(accounts.ok());
  EXPECT_EQ((*accounts)->user_name(0), "toor");
  EXPECT_EQ((*accounts)->user_id("root"), 0u);
  EXPECT_EQ((*accounts)->user_id("+nis"), std::nullopt);
}

TEST(Accounts, NamesStayValidAcrossManyLookups) {
  auto accounts = Accounts::system();
  auto first = accounts->user_name(0);
  ASSERT_TRUE(first.has_value());
  std::string copy(*first);
  for (uint32_t uid = 50000; uid < 52000; ++uid) (void)accounts->user_name(uid);  // grows the cache
  EXPECT_EQ(*first, copy);
}

TEST(Accounts, SystemResolvesRoot) {
  auto accounts = Accounts::system();
  EXPECT_EQ(accounts->user_name(0), "root");
  EXPECT_EQ(accounts->user_id("root"), 0u);
  EXPECT_EQ(accounts->group_id("root"), 0u);
  EXPECT_EQ(accounts->user_id("no-such-user-bullion"), std::nullopt);
  EXPECT_EQ(accounts->user_id("no-such-user-bullion"), std::nullopt);  // cached miss
}

TEST(Accounts, EmptyPathFallsBackToSystemForThatSide) {
  TempFile group("wheel:x:0:\n");
  auto accounts = Accounts::from_files("", group.path());
  ASSERT_TRUE(accounts.ok());
  EXPECT_EQ((*accounts)->group_name(0), "wheel");
  EXPECT_EQ((*accounts)->user_name(0), "root");  // from the system
}

TEST(Accounts, MissingFileIsAnErrorNamingIt) {
  auto accounts = Accounts::from_files("/nonexistent/passwd", "");
  ASSERT_FALSE(accounts.ok());
  EXPECT_EQ(accounts.error().code, Errc::NotFound);
  EXPECT_NE(accounts.error().message.find("/nonexistent/passwd"), std::string::npos);
}

}  // namespace
}  // namespace bullion::tables
