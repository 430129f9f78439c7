// Replays fuzz inputs (files or directories of files) through a libFuzzer
// entry point without libFuzzer, so fuzz targets always build and their
// corpora can run in CI with any compiler.
#include <dirent.h>
#include <sys/stat.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

static int run_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
  return 1;
}

static int run_path(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    std::perror(path.c_str());
    return 0;
  }
  if (!S_ISDIR(st.st_mode)) return run_file(path);
  int n = 0;
  if (DIR* d = opendir(path.c_str())) {
    while (dirent* e = readdir(d))
      if (e->d_name[0] != '.') n += run_path(path + "/" + e->d_name);
    closedir(d);
  }
  return n;
}

int main(int argc, char** argv) {
  int n = 0;
  for (int i = 1; i < argc; ++i) n += run_path(argv[i]);
  std::printf("replayed %d inputs\n", n);
  return 0;
}
