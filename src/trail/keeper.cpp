#include "bullion/trail/keeper.h"

#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "bullion/trail/expiry.h"
#include "bullion/trail/names.h"

namespace bullion::trail {

namespace {

int64_t millis(Timestamp t) { return t.seconds * 1000 + t.msec; }

// A stand-alone file token: id, seconds, msec, name length, name + NUL.
size_t file_token_size(const std::string& path) { return 1 + 4 + 4 + 2 + path.size() + 1; }

class SystemClock final : public Clock {
 public:
  Timestamp now() override {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return Timestamp{ts.tv_sec, static_cast<uint32_t>(ts.tv_nsec / 1000000)};
  }
  void sleep_for(std::chrono::milliseconds duration) override {
    const auto ms = duration.count();
    timespec pause{static_cast<time_t>(ms / 1000), static_cast<long>(ms % 1000) * 1000000};
    while (nanosleep(&pause, &pause) != 0 && errno == EINTR) {
    }
  }
};

// True when some file in `dir` starts with the 14-digit `stamp` and a dot:
// a trail from an earlier run that began in the same second.
bool start_taken(const std::string& dir, const std::string& stamp) {
  DIR* stream = opendir(dir.c_str());
  if (stream == nullptr) return false;
  bool taken = false;
  while (const dirent* entry = readdir(stream)) {
    const std::string_view name = entry->d_name;
    if (name.size() > stamp.size() && name.starts_with(stamp) && name[stamp.size()] == '.') taken = true;
  }
  closedir(stream);
  return taken;
}

std::string directory_of(const std::string& path) { return path.substr(0, path.rfind('/')); }

}  // namespace

Clock& Clock::system() {
  static SystemClock clock;
  return clock;
}

TrailKeeper::TrailKeeper(KeeperOptions options, KeeperEnvironment environment)
    : options_(std::move(options)), env_(std::move(environment)) {
  for (const std::string& dir : options_.dirs) dirs_.push_back(Dir{dir});
  last_sync_ms_ = last_space_check_ms_ = millis(env_.clock.now());
}

TrailKeeper::~TrailKeeper() { (void)close(); }

std::string TrailKeeper::open_path() const { return writer_ ? writer_->path() : std::string(); }

void TrailKeeper::log(LogLevel level, const std::string& message) {
  if (env_.log) env_.log(level, message);
}

void TrailKeeper::warn(std::string_view reason, std::string_view file) {
  std::string what = "audit_warn " + std::string(reason);
  if (!file.empty()) what += " " + std::string(file);
  log(LogLevel::Warning, what);
  if (Status s = env_.warner.warn(reason, file); !s) log(LogLevel::Error, "audit_warn: " + s.error().message);
}

// OpenBSM re-reads every directory's space at each new trail and warns for
// each one over a limit (warn_each); between trails only changes are told.
void TrailKeeper::refresh_space(bool warn_each) {
  for (Dir& dir : dirs_) {
    const SpaceState before = dir.state;
    auto space = env_.space.probe(dir.path);
    if (!space) {
      dir.state = SpaceState::Hard;
      if (warn_each || before != SpaceState::Hard) log(LogLevel::Error, space.error().message);
      continue;
    }
    dir.state = classify_space(*space, options_.minfree);
    if (dir.full_at_free_bytes) {
      if (space->free_bytes() > *dir.full_at_free_bytes + space->block_size) {
        dir.full_at_free_bytes.reset();
      } else {
        dir.state = SpaceState::Hard;
      }
    }
    if (dir.state == SpaceState::Ok || (!warn_each && dir.state == before)) continue;
    warn(dir.state == SpaceState::Soft ? warn_reason::kSoft : warn_reason::kHard, dir.path);
  }
}

// The first directory with room, in audit_control order; then the first
// one only over the soft limit (allsoft); else none (allhard).
std::optional<size_t> TrailKeeper::choose_dir() {
  for (size_t i = 0; i < dirs_.size(); ++i) {
    if (dirs_[i].state == SpaceState::Ok && !dirs_[i].unusable) {
      all_soft_warned_ = all_hard_warned_ = false;
      return i;
    }
  }
  for (size_t i = 0; i < dirs_.size(); ++i) {
    if (dirs_[i].state == SpaceState::Soft && !dirs_[i].unusable) {
      if (!all_soft_warned_) warn(warn_reason::kAllSoft);
      all_soft_warned_ = true;
      all_hard_warned_ = false;
      return i;
    }
  }
  if (!all_hard_warned_) warn(warn_reason::kAllHard);
  all_hard_warned_ = true;
  return std::nullopt;
}

Status TrailKeeper::open() {
  if (dirs_.empty()) return Error{Errc::InvalidArgument, 0, 0, "no trail directory (dir: in audit_control)"};
  return open_trail();
}

// Opens a new trail in the best directory and makes it the open one; the
// previous trail (if any) is the caller's to close.
Status TrailKeeper::open_trail() {
  for (Dir& dir : dirs_) dir.unusable = false;
  refresh_space(true);
  if (open_in_best_dir()) return Ok{};
  return Error{Errc::Io, 0, 0, "no trail directory can take a trail"};
}

bool TrailKeeper::open_in_best_dir() {
  while (auto dir = choose_dir()) {
    if (open_trail_in(*dir)) return true;
    dirs_[*dir].unusable = true;
  }
  return false;
}

// Trail names are unique by start second: wait for a second no trail of
// ours (or an earlier run's) in that directory began in.
Status TrailKeeper::open_trail_in(size_t index) {
  const std::string& dir = dirs_[index].path;
  Timestamp at = env_.clock.now();
  for (int tries = 0; tries < 3 && (at.seconds <= last_start_ || start_taken(dir, format_trail_time(at.seconds)));
       ++tries) {
    env_.clock.sleep_for(std::chrono::milliseconds(1000 - at.msec));
    at = env_.clock.now();
  }
  const std::string path = dir + "/" + open_trail_name(at.seconds);
  auto writer = TrailWriter::create(path, options_.mode);
  if (!writer) {
    log(LogLevel::Error, writer.error().message);
    warn(warn_reason::kGetAcDir, dir);
    return writer.error();
  }
  auto previous = std::move(writer_);
  const int64_t previous_start = writer_start_;
  writer_ = std::move(*writer);
  writer_dir_ = index;
  writer_start_ = last_start_ = at.seconds;
  ++stats_.trails_opened;
  append(file_token(at, path));
  if (previous) close_writer(std::move(previous), previous_start, at);
  update_current_link();
  log(LogLevel::Notice, "new trail " + path);
  return Ok{};
}

void TrailKeeper::append(std::span<const uint8_t> record) { writer_->append(record); }

// Ends a trail: the end file token names its final START.END path, then
// the rename makes that true. A trail the disk cannot end keeps its name
// change all the same, so it is not taken for a crashed one.
void TrailKeeper::close_writer(std::unique_ptr<TrailWriter> writer, int64_t start, Timestamp at) {
  const std::string dir = directory_of(writer->path());
  const std::string final_path = dir + "/" + closed_trail_name(start, at.seconds);
  writer->append(file_token(at, final_path));
  const FlushResult flushed = writer->flush();
  stats_.written += flushed.records_written;
  if (flushed.error != 0) {
    log(LogLevel::Error, writer->path() + ": end of trail not written: " + std::strerror(flushed.error));
    const uint64_t dropped = writer->discard();
    if (dropped > 1) count_lost(dropped - 1);  // the end token is no record
  }
  if (Status closed = writer->close(); !closed) log(LogLevel::Error, closed.error().message);
  if (::rename(writer->path().c_str(), final_path.c_str()) != 0) {
    log(LogLevel::Error, "rename " + writer->path() + ": " + std::strerror(errno));
    return;
  }
  ++stats_.trails_closed;
  log(LogLevel::Notice, "closed trail " + final_path);
  warn(warn_reason::kCloseFile, final_path);
}

void TrailKeeper::count_lost(uint64_t records) {
  stats_.lost += records;
  pending_loss_ += records;
}

// `current` lives in the first trail directory, as OpenBSM's single
// /var/audit/current, and names the open trail wherever it is. It is
// replaced by rename so a reader never finds it missing.
void TrailKeeper::update_current_link() {
  const std::string link = dirs_.front().path + "/" + std::string(kCurrentLink);
  const std::string temporary = link + ".new";
  (void)::unlink(temporary.c_str());
  if (::symlink(writer_->path().c_str(), temporary.c_str()) != 0 || ::rename(temporary.c_str(), link.c_str()) != 0) {
    log(LogLevel::Error, link + ": " + std::strerror(errno));
  }
}

void TrailKeeper::remove_current_link() {
  const std::string link = dirs_.front().path + "/" + std::string(kCurrentLink);
  struct stat st {};
  if (::lstat(link.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) (void)::unlink(link.c_str());
}

bool TrailKeeper::would_pass_filesz(size_t bytes) const {
  if (options_.filesz == 0) return false;
  const size_t start_token = file_token_size(writer_->path());
  // The end token names START.END, as long as START.not_terminated.
  const uint64_t after = writer_->size() + bytes + file_token_size(writer_->path());
  // A record larger than filesz on its own still gets a trail.
  return after > options_.filesz && writer_->size() > start_token;
}

void TrailKeeper::write(std::span<const uint8_t> record) {
  ++stats_.records;
  if (!writer_ && !reopen()) {
    hold_or_drop(record);
    return;
  }
  write_pending_loss();
  if (would_pass_filesz(record.size()) && can_rotate_now()) (void)rotate();
  append(record);
  if (writer_->queued_bytes() >= options_.buffer_bytes) flush();
}

// Trail names have one-second resolution: a trail that fills within the
// second it began in goes on until the next second (as OpenBSM's auditd
// does), rather than stalling capture for a second or clashing names. At
// more than filesz a second, a trail holds up to a second more than filesz.
bool TrailKeeper::can_rotate_now() const { return env_.clock.now().seconds > writer_start_; }

void TrailKeeper::write_daemon_record(uint16_t event, std::string_view text, std::string_view path) {
  if (!writer_ && !reopen()) {
    log(LogLevel::Error, "no trail open: record '" + std::string(text) + "' not written");
    return;
  }
  auto record = daemon_record(event, text, path, env_.identity, env_.clock.now());
  if (would_pass_filesz(record.size()) && can_rotate_now()) (void)rotate_trail();
  append(record);
  // Rare and telling (startup, recovery, shutdown): on disk at once.
  flush();
}

// No trail is open (every directory was full): with cnt the record is
// counted lost; without cnt we wait here for space, holding the record.
void TrailKeeper::hold_or_drop(std::span<const uint8_t> record) {
  if (options_.cnt) {
    count_lost(1);
    return;
  }
  held_.bytes.insert(held_.bytes.end(), record.begin(), record.end());
  held_.ends.push_back(held_.bytes.size());
  if (wait_for_space()) write_held();
}

// Without cnt: sleep until a directory has room again or we are told to
// stop. Records held then are lost; the log says how many.
bool TrailKeeper::wait_for_space() {
  log(LogLevel::Error, "no trail directory has room; waiting for space (policy without cnt)");
  while (!writer_) {
    if (env_.should_stop && env_.should_stop()) {
      if (held_.records() > 0) {
        log(LogLevel::Error, std::to_string(held_.records()) + " records lost: stopped while waiting for space");
        stats_.lost += held_.records();
        held_ = {};
      }
      return false;
    }
    env_.clock.sleep_for(options_.space_check_interval);
    (void)reopen();
  }
  return true;
}

// Tries to open a trail again after every directory was full; at most
// once per space check interval, so a full disk costs one statvfs a second.
bool TrailKeeper::reopen() {
  const int64_t now = millis(env_.clock.now());
  if (now - last_space_check_ms_ < options_.space_check_interval.count()) return false;
  last_space_check_ms_ = now;
  if (!open_trail()) return false;
  write_pending_loss();
  return true;
}

void TrailKeeper::write_pending_loss() {
  if (pending_loss_ == 0) return;
  log(LogLevel::Warning, std::to_string(pending_loss_) + " records lost for want of space");
  append(loss_record(pending_loss_, "writer", env_.identity, env_.clock.now()));
  pending_loss_ = 0;
}

void TrailKeeper::flush() {
  if (!writer_) return;
  const FlushResult flushed = writer_->flush();
  stats_.written += flushed.records_written;
  if (flushed.error != 0) on_write_failure(flushed.error);
}

// The open trail's file system refused a record (full, quota, I/O error):
// that directory counts as full; the records still queued move to a trail
// in another directory, or are dropped (cnt) or held (no cnt).
void TrailKeeper::on_write_failure(int error) {
  log(LogLevel::Error, writer_->path() + ": " + std::strerror(error));
  Dir& full = dirs_[writer_dir_];
  full.state = SpaceState::Hard;
  if (auto space = env_.space.probe(full.path)) full.full_at_free_bytes = space->free_bytes();
  warn(warn_reason::kHard, full.path);
  held_ = writer_->take_queued();
  auto failed = std::move(writer_);
  close_writer(std::move(failed), writer_start_, env_.clock.now());
  remove_current_link();
  if (open_in_best_dir()) {
    write_held();
    return;
  }
  if (options_.cnt) {
    count_lost(held_.records());
    held_ = {};
    return;
  }
  if (wait_for_space()) write_held();
}

void TrailKeeper::write_held() {
  TrailWriter::Queue held = std::move(held_);
  held_ = {};
  writer_->append_queue(held);
  flush();
}

Status TrailKeeper::rotate_trail() {
  flush();
  if (!writer_) return reopen() ? Status(Ok{}) : Status(Error{Errc::Io, 0, 0, "no trail directory has room"});
  return open_trail();
}

void TrailKeeper::tick() {
  flush();
  const int64_t now = millis(env_.clock.now());
  if (!writer_) {
    (void)reopen();
    return;
  }
  if (now - last_sync_ms_ >= options_.sync_interval.count()) {
    if (Status synced = writer_->sync(); !synced) log(LogLevel::Error, synced.error().message);
    last_sync_ms_ = now;
  }
  if (now - last_space_check_ms_ >= options_.space_check_interval.count()) {
    last_space_check_ms_ = now;
    check_space();
  }
}

// Between trails: a directory that fell under minfree (or filled) is
// reported once, and the trail moves to a better directory when there is
// one, as OpenBSM's auditd does on the kernel's low-space trigger.
void TrailKeeper::check_space() {
  const SpaceState before = dirs_[writer_dir_].state;
  refresh_space(false);
  const SpaceState now = dirs_[writer_dir_].state;
  if (now == SpaceState::Ok || now == before) return;
  for (size_t i = 0; i < dirs_.size(); ++i) {
    if (i != writer_dir_ && dirs_[i].state < now) {
      (void)rotate_trail();
      expire();
      return;
    }
  }
  (void)choose_dir();  // says allsoft / allhard
}

Status TrailKeeper::rotate() {
  Status rotated = rotate_trail();
  expire();
  return rotated;
}

Status TrailKeeper::reconfigure(KeeperOptions options) {
  set_options(std::move(options));
  if (dirs_.empty()) return Error{Errc::InvalidArgument, 0, 0, "no trail directory (dir: in audit_control)"};
  return rotate();
}

void TrailKeeper::set_options(KeeperOptions options) {
  flush();
  options_ = std::move(options);
  std::vector<Dir> dirs;
  for (const std::string& path : options_.dirs) dirs.push_back(Dir{path});
  if (dirs.empty()) return;  // reconfigure() says so; the open trail goes on
  // The open trail may sit in a directory no longer listed: its index then
  // points at the first until the next trail.
  const std::string open_dir = writer_ ? directory_of(writer_->path()) : std::string();
  dirs_ = std::move(dirs);
  writer_dir_ = 0;
  for (size_t i = 0; i < dirs_.size(); ++i) {
    if (dirs_[i].path == open_dir) writer_dir_ = i;
  }
}

void TrailKeeper::expire() {
  if (!options_.expire) return;
  auto doomed = plan_expiry(list_trail_files(options_.dirs, open_path()), *options_.expire, env_.clock.now().seconds);
  for (const std::string& path : doomed) {
    warn(warn_reason::kExpired, path);
    if (::unlink(path.c_str()) != 0) {
      log(LogLevel::Error, "expire " + path + ": " + std::strerror(errno));
      continue;
    }
    ++stats_.expired;
    log(LogLevel::Notice, "expired " + path);
  }
}

Status TrailKeeper::close() {
  if (!writer_) {
    if (pending_loss_ > 0) {
      log(LogLevel::Error, std::to_string(pending_loss_) + " records lost; no trail could record the loss");
      pending_loss_ = 0;
    }
    return Ok{};
  }
  write_pending_loss();
  flush();
  if (!writer_) return Error{Errc::Io, 0, 0, "the last trail could not be written"};
  auto last = std::move(writer_);
  close_writer(std::move(last), writer_start_, env_.clock.now());
  remove_current_link();
  return Ok{};
}

}  // namespace bullion::trail
