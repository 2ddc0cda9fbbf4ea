// One-time enrollment codes: readable, forgiving to type, stored only as a hash, used once, and
// dead after they expire.
#include <doctest/doctest.h>

#include <regex>
#include <set>

#include "server/fleet/enrollment.hpp"
#include "store_fixtures.hpp"
#include "test_database.hpp"

namespace doorstep::server {
namespace {

using testing::TestDatabase;

constexpr int64_t kNow = 1'795'549'384'722;
constexpr int64_t kHourMs = 3'600'000;

struct Fixture {
    TestDatabase Db;
    std::unique_ptr<ServerStore> Store = Db.Open();

    std::string MakeCode(int64_t hours = 24) {
        Result<std::string> code =
            CreateEnrollmentCode(*Store, "lisbon-chiado", "checkout", hours, kNow);
        REQUIRE(code.Ok());
        return *code;
    }
    std::optional<DeviceRecord> Redeem(const std::string& typed, int64_t at_ms) {
        Result<std::optional<DeviceRecord>> device = RedeemEnrollmentCode(*Store, typed, at_ms);
        REQUIRE(device.Ok());
        return *device;
    }
};

}  // namespace

TEST_CASE("codes look like K7Q4-M2XD-9PXA and are not repeated") {
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        std::string code = NewEnrollmentCode();
        CHECK(std::regex_match(code, std::regex("[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-"
                                                "[0-9A-HJKMNP-TV-Z]{4}")));
        seen.insert(code);
    }
    CHECK(seen.size() == 200);
    CHECK(std::regex_match(NewDeviceId(), std::regex("dev_[0-9a-f]{16}")));
}

TEST_CASE("typing is forgiving: case, spaces, hyphens, O for 0 and I or L for 1") {
    CHECK(NormaliseEnrollmentCode("k7q4-m2xd-9pxa") == "K7Q4-M2XD-9PXA");
    CHECK(NormaliseEnrollmentCode(" K7Q4 M2XD 9PXA ") == "K7Q4-M2XD-9PXA");
    CHECK(NormaliseEnrollmentCode("K7Q4M2XD9PXA") == "K7Q4-M2XD-9PXA");
    CHECK(NormaliseEnrollmentCode("O7QI-M2XD-9PXL") == "07Q1-M2XD-9PX1");
    CHECK_FALSE(NormaliseEnrollmentCode("K7Q4-M2XD-9PX").has_value());    // too short
    CHECK_FALSE(NormaliseEnrollmentCode("K7Q4-M2XD-9PXAB").has_value());  // too long
    CHECK_FALSE(NormaliseEnrollmentCode("K7Q4-M2XD-9PX!").has_value());   // not in the alphabet
    CHECK_FALSE(NormaliseEnrollmentCode("K7Q4-M2XD-9PXU").has_value());   // U is left out
}

TEST_CASE_FIXTURE(Fixture, "a code enrolls exactly one device, and only its hash is kept") {
    std::string code = MakeCode();
    std::string by_hash = "SELECT count(*) FROM enrollment_codes WHERE code_hash = '" +
                          EnrollmentCodeHash(code) + "'";
    CHECK(Db.QueryInt(by_hash) == 1);
    CHECK(EnrollmentCodeHash(code).size() == 64);

    std::optional<DeviceRecord> device = Redeem(code, kNow + 1000);
    REQUIRE(device.has_value());
    CHECK(device->Store == "lisbon-chiado");
    CHECK(device->Door == "checkout");
    CHECK(device->SecretHex.size() == 64);
    CHECK(device->EnrolledAtMs == kNow + 1000);
    std::optional<DeviceRecord> found = *Store->FindDevice(device->DeviceId);
    REQUIRE(found.has_value());
    CHECK(found->SecretHex == device->SecretHex);

    CHECK_FALSE(Redeem(code, kNow + 2000).has_value());       // used
    CHECK_FALSE(Redeem("k7q4 m2xd 9pxa", kNow).has_value());  // never made
    CHECK(Db.QueryInt("SELECT count(*) FROM devices") == 1);
}

TEST_CASE_FIXTURE(Fixture, "a code dies when it expires, and an expired code changes nothing") {
    std::string code = MakeCode(2);
    CHECK_FALSE(Redeem(code, kNow + 2 * kHourMs).has_value());
    CHECK_FALSE(Redeem(code, kNow + 3 * kHourMs).has_value());
    CHECK(Db.QueryInt("SELECT count(*) FROM enrollment_codes WHERE used_at_ms IS NULL") == 1);
    CHECK(Db.QueryInt("SELECT count(*) FROM devices") == 0);
    std::string fresh = MakeCode(2);
    CHECK(Redeem(fresh, kNow + 2 * kHourMs - 1).has_value());  // the last millisecond still counts
}

TEST_CASE_FIXTURE(Fixture, "store and door names are checked before a code is made") {
    CHECK_FALSE(CreateEnrollmentCode(*Store, "", "checkout", 24, kNow).Ok());
    CHECK_FALSE(CreateEnrollmentCode(*Store, "lisbon", std::string(65, 'x'), 24, kNow).Ok());
    CHECK_FALSE(CreateEnrollmentCode(*Store, "lis\nbon", "checkout", 24, kNow).Ok());
    CHECK(CreateEnrollmentCode(*Store, "Αθήνα Σύνταγμα", "ταμείο", 24, kNow).Ok());
}

}  // namespace doorstep::server
