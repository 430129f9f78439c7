// gzip-compressed inputs, inflated by zlib as they are read. Members that
// follow each other (`cat a.gz b.gz`) are read one after the other, as
// gzip(1) does.
#include <fmt/format.h>
#include <zlib.h>

#include <climits>

#include "input/backends.h"

namespace bullion::input {
namespace {

class GzipBackend final : public Backend {
 public:
  explicit GzipBackend(std::unique_ptr<ByteSource> compressed) : in_(std::move(compressed)) {
    // 16 + MAX_WBITS: a gzip header and trailer around the deflate data.
    if (inflateInit2(&z_, 16 + MAX_WBITS) != Z_OK) fail("zlib could not start");
  }
  ~GzipBackend() override { inflateEnd(&z_); }

  size_t read(std::span<uint8_t> into) override {
    const uInt room = static_cast<uInt>(std::min<size_t>(into.size(), UINT_MAX));
    z_.next_out = into.data();
    z_.avail_out = room;
    while (!done_ && z_.avail_out == room) step();
    return room - z_.avail_out;
  }

  std::optional<Error> failure() const override { return failure_; }
  void set_idle_hook(IdleHook hook) override { in_->set_idle_hook(std::move(hook)); }

 private:
  // Inflates what the compressed source has now.
  void step() {
    const std::span<const uint8_t> window = in_->ensure(1);
    if (window.empty()) {
      if (in_member_) fail("the gzip data ends inside a member (the file was cut short)");
      if (auto failed = in_->failure()) failure_ = failed;
      done_ = true;
      return;
    }
    z_.next_in = const_cast<Bytef*>(window.data());
    z_.avail_in = static_cast<uInt>(std::min<size_t>(window.size(), UINT_MAX));
    const uInt offered = z_.avail_in;
    const int rc = inflate(&z_, Z_NO_FLUSH);
    in_->consume(offered - z_.avail_in);
    if (rc == Z_STREAM_END) {
      in_member_ = false;
      inflateReset(&z_);
    } else if (rc == Z_OK || (rc == Z_BUF_ERROR && offered != z_.avail_in)) {
      in_member_ = true;
    } else {
      fail(fmt::format("the gzip data is corrupt at compressed byte {}: {}", in_->offset(),
                       z_.msg ? z_.msg : "inflate failed"));
    }
  }
  void fail(std::string why) {
    failure_ = Error{Errc::Io, 0, 0, std::move(why)};
    done_ = true;
  }

  std::unique_ptr<ByteSource> in_;
  z_stream z_{};
  bool in_member_ = false;
  bool done_ = false;
  std::optional<Error> failure_;
};

}  // namespace

std::unique_ptr<Backend> gzip_backend(std::unique_ptr<ByteSource> compressed) {
  return std::make_unique<GzipBackend>(std::move(compressed));
}

}  // namespace bullion::input
