// One trail file being written: whole records only.
//
// Records are queued and written by flush(). When the file system cannot
// take a record whole (ENOSPC, EDQUOT, EIO ...), the part that did land is
// cut off again, so after any failure the file still ends on a record
// boundary; records not written stay queued, and the owner decides whether
// to retry them later (policy without cnt) or discard and count them (cnt).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "bullion/error.h"

namespace bullion::trail {

struct FlushResult {
  uint64_t records_written = 0;
  int error = 0;  // errno of the write that failed; 0 when everything is written
};

class TrailWriter {
 public:
  // Creates `path`, which must not exist yet (O_EXCL).
  static Result<std::unique_ptr<TrailWriter>> create(const std::string& path, mode_t mode);
  // Opens an existing trail to append to it (crash recovery).
  static Result<std::unique_ptr<TrailWriter>> append_to(const std::string& path);
  ~TrailWriter();
  TrailWriter(const TrailWriter&) = delete;
  TrailWriter& operator=(const TrailWriter&) = delete;

  void append(std::span<const uint8_t> record);
  FlushResult flush();
  // Drops the queued records; returns how many there were.
  uint64_t discard();
  // Records not yet written, taken out (to write them to another trail).
  struct Queue {
    std::vector<uint8_t> bytes;
    std::vector<size_t> ends;  // end offset of each record in bytes
    size_t records() const { return ends.size(); }
  };
  Queue take_queued();
  void append_queue(const Queue& queue);
  // fdatasync when anything was written since the last sync.
  Status sync();
  // Flushes, syncs and closes; an error when queued records stayed unwritten.
  Status close();

  uint64_t size() const { return written_ + queued_.size(); }  // bytes, written and queued
  uint64_t written_bytes() const { return written_; }
  size_t queued_bytes() const { return queued_.size(); }
  size_t queued_records() const { return ends_.size(); }
  const std::string& path() const { return path_; }
  void renamed(std::string path) { path_ = std::move(path); }

 private:
  TrailWriter(int fd, std::string path, uint64_t size) : fd_(fd), path_(std::move(path)), written_(size) {}
  void keep_whole_records(size_t landed, FlushResult& result);

  int fd_ = -1;
  std::string path_;
  uint64_t written_ = 0;  // bytes in the file
  bool unsynced_ = false;
  std::vector<uint8_t> queued_;
  std::vector<size_t> ends_;  // end offset of each queued record in queued_
};

}  // namespace bullion::trail
