#pragma once

#include "ExportResult.h"
#include "settings/ConnInfo.h"

#include <QCoreApplication>

namespace vf::interop {

// Python with psycopg 3: psycopg.connect() with one keyword argument per libpq setting (psycopg hands
// them to libpq unchanged, so sslmode and the files mean exactly what they mean to psql). The same
// arguments work for psycopg2.connect().
class PsycopgWriter final
{
    Q_DECLARE_TR_FUNCTIONS(vf::interop::PsycopgWriter)

public:
    PsycopgWriter() = delete;

    static ExportResult write(const settings::ConnInfo& info);
};

} // namespace vf::interop
