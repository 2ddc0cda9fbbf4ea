// Head office's contact key (core/alerts/contact.hpp): the X25519 pair terminals seal customers'
// contacts to. Its secret half lives only in a file of its own (mode 0600), never in the
// database; the database records the public half the first time, so a server started with
// another key file, or none, refuses to start rather than hand terminals a key that the other
// servers on the same database cannot open.
//
//   file absent, nothing recorded  --LoadContactKey: new pair written, public half recorded--> ok
//   file present, nothing recorded --LoadContactKey: its public half recorded--> ok
//   file present, same recorded    --> ok
//   file present, other recorded   --> refused (copy the first server's file)
//   file absent, one recorded      --> refused (copy the first server's file)
#pragma once

#include <string>
#include <string_view>

#include "core/alerts/contact.hpp"
#include "core/base/result.hpp"
#include "server/store/server_store.hpp"

namespace doorstep::server {

inline constexpr std::string_view kContactKeySetting = "contact_public_key";

// The key file `serve` uses without --contact-key: beside an SQLite file ("PATH.contact-key"),
// and in the data directory (DefaultDataDir()) for PostgreSQL.
std::string DefaultContactKeyPath(std::string_view db_url);

// The pair in `path`, made there (and recorded in the database) at first start. An error names
// the file and says what to do.
Result<ContactKeyPair> LoadContactKey(const std::string& path, ServerStore& store);

}  // namespace doorstep::server
