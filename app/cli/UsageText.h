#pragma once

// The text of `verifyfull-cli --help`, written so that help2man (and a person) can turn it into the
// manual page: a one-line description, "Usage:" lines, then sections. docs/verifyfull-cli.1 is the
// manual page made from it; keep both in step.

#include <QtGlobal>

namespace vf::cli {

inline constexpr const char* kUsageText = QT_TRANSLATE_NOOP(
    "vf::cli", R"(verifyfull-cli - test PostgreSQL connections over TLS the way libpq makes them

Usage: verifyfull-cli check [--json] [--timeout SECONDS] [CONNINFO]
  or:  verifyfull-cli inspect [--json] [--timeout SECONDS] [CONNINFO]
  or:  verifyfull-cli chain FILE... [--root FILE | --system] [--crl FILE] [--crldir DIR]
                             [--host NAME] [--json]
  or:  verifyfull-cli --version | --help

Connects to a PostgreSQL server exactly as libpq (psql) would, with the same parameters, defaults,
environment variables and files, shows every phase with its timing, the TLS facts and the
certificate chain the server presented, and when something fails says why in libpq's words, what
it means and what to change.

Commands:
  check      Connect, negotiate TLS, authenticate and run a short query. Prints the report on
             standard output; on failure libpq's message (as psql prints it after "psql: error: ")
             and the diagnosis go to standard error.
  inspect    Negotiate TLS only and show the server's certificate chain and TLS facts; never
             authenticates (no password is sent).
  chain      Load certificates from FILEs (PEM, DER, PKCS#7 or an unencrypted PKCS#12; the leaf is
             the certificate that issued none of the others) and verify them as libpq verifies a
             server's chain.

CONNINFO is a libpq connection string ("host=db.example.com sslmode=verify-full") or URI
("postgresql://user@db.example.com/app?sslmode=verify-full"). Everything libpq reads is honoured:
the PG* environment variables (PGHOST, PGSSLMODE, PGSSLROOTCERT...), the service file
(PGSERVICE, ~/.pg_service.conf), ~/.postgresql/root.crt, root.crl, postgresql.crt,
postgresql.key and the password file (~/.pgpass, PGPASSFILE).

Options:
  --json             Print the whole report as one JSON object on standard output
                     (schema: docs/REPORT-JSON.md). Passwords are never included.
  --timeout SECONDS  Give up on any phase (DNS, connect, TLS handshake, authentication...) that
                     takes longer (default 30). libpq's connect_timeout, when set, still applies.
  --root FILE        chain: verify against the root certificates in FILE (sslrootcert=FILE).
                     Without --root or --system, libpq's default ~/.postgresql/root.crt is used
                     if it exists; otherwise the certificates are only shown.
  --system           chain: verify against the system's trusted roots (sslrootcert=system).
  --crl FILE         chain: check revocation with the CRLs in FILE (sslcrl).
  --crldir DIR       chain: check revocation with a hashed CRL directory (sslcrldir).
  --host NAME        chain: also check that the leaf certificate names NAME, as
                     sslmode=verify-full does.
  -h, --help         Show this help and exit.
  -v, --version      Show the version and exit.

Encrypted client keys:
  When sslpassword is not set and the client key is encrypted, the passphrase is read from the
  terminal without echo. When standard input is not a terminal, the key cannot be unlocked: set
  sslpassword (for example in a service file).

Exit status:
  0  check: connected and authenticated; inspect: TLS handshake succeeded;
     chain: verified (or only shown, without root certificates)
  1  the attempt failed (chain: the chain or the host name did not verify)
  2  invalid usage or input: unknown option, unparsable connection string, invalid option value
     such as sslmode=bogus, unknown service, unreadable certificate file
  130  interrupted: Ctrl-C (or SIGTERM) canceled the check cleanly; a second Ctrl-C quits at once

Examples:
  verifyfull-cli check "host=db.example.com dbname=app user=alice sslmode=verify-full"
  PGSSLMODE=verify-full verifyfull-cli check --json postgresql://alice@db.example.com/app
  verifyfull-cli inspect "host=db.example.com sslmode=require"
  verifyfull-cli chain server.crt intermediate.crt --root root.crt --host db.example.com
)");

} // namespace vf::cli
