#pragma once

#include "ExportResult.h"
#include "settings/ConnInfo.h"

#include <QCoreApplication>

namespace vf::interop {

// A psql command line for a POSIX shell (sh, bash, zsh): every setting that has a PG* environment
// variable is passed as one (PGHOST='…' PGSSLMODE='…' psql), the others (keepalives, sslpassword…)
// as a quoted connection-string argument. Every value is one single-quoted shell word, so quotes,
// spaces, "$", backticks and newlines reach libpq unchanged and nothing is expanded. The password, when
// included, goes into PGPASSWORD (a note says why ~/.pgpass is better).
class PsqlCommandWriter final
{
    Q_DECLARE_TR_FUNCTIONS(vf::interop::PsqlCommandWriter)

public:
    PsqlCommandWriter() = delete;

    static ExportResult write(const settings::ConnInfo& info);
};

} // namespace vf::interop
