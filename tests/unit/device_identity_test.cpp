// The device identity file and the rules for server URLs.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include "kiosk/sync/device_identity.hpp"
#include "store_fixtures.hpp"

using namespace doorstep;

TEST_CASE("identity: saved privately and read back; absent means not enrolled") {
    doorstep::testing::TempDir dir;
    std::string data = dir.File("");
    auto none = LoadDeviceIdentity(data);
    REQUIRE(none.Ok());
    CHECK_FALSE(none->has_value());
    DeviceIdentity identity;
    identity.DeviceId = "dev_1";
    identity.SecretHex = std::string(64, 'a');
    identity.ServerUrl = "https://hq.example.com";
    identity.StoreName = "lisbon";
    identity.Door = "checkout";
    identity.PinnedPublicKey = "sha256//abc=";
    REQUIRE(SaveDeviceIdentity(data, identity).Ok());
    struct stat info {};
    REQUIRE(stat(DeviceIdentityPath(data).c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    auto back = LoadDeviceIdentity(data);
    REQUIRE(back.Ok());
    REQUIRE(back->has_value());
    CHECK((*back)->SecretHex == identity.SecretHex);
    CHECK((*back)->PinnedPublicKey == "sha256//abc=");
}

TEST_CASE("identity: a damaged file is an error that says what to do") {
    doorstep::testing::TempDir dir;
    FILE* f = fopen(dir.File("device.json").c_str(), "w");
    fputs("{\"device_id\": \"dev_1\"}", f);
    fclose(f);
    auto loaded = LoadDeviceIdentity(dir.File(""));
    REQUIRE_FALSE(loaded.Ok());
    CHECK(loaded.Err().Message.find("device_secret") != std::string::npos);
    CHECK(loaded.Err().Message.find("enroll") != std::string::npos);
}

TEST_CASE("identity: plain http only to loopback unless explicitly allowed") {
    CHECK(CheckServerUrl("https://hq.example.com", false).Ok());
    CHECK(CheckServerUrl("http://127.0.0.1:8470", false).Ok());
    CHECK(CheckServerUrl("http://localhost:8470/", false).Ok());
    CHECK(CheckServerUrl("http://[::1]:8470", false).Ok());
    Status remote = CheckServerUrl("http://hq.example.com", false);
    REQUIRE_FALSE(remote.Ok());
    CHECK(remote.Err().Message.find("--insecure-http") != std::string::npos);
    CHECK(CheckServerUrl("http://hq.example.com", true).Ok());
    CHECK_FALSE(CheckServerUrl("ftp://hq.example.com", true).Ok());
    CHECK_FALSE(CheckServerUrl("hq.example.com", false).Ok());
}
