#pragma once

#include "security/SslMode.h"

#include <QAbstractTableModel>
#include <QPalette>

#include <optional>

namespace vf::ui {

// libpq's "SSL Mode Descriptions" table (security::sslModeTable()) as a model: six modes × the
// eavesdropping and MITM columns × libpq's statement, with the profile's modes marked: the row it
// behaves as (highlighted) and, when different, the row it chose.
class SslModeRiskModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SslModeRiskModel)

public:
    enum Column
    {
        ModeColumn,
        EavesdroppingColumn,
        MitmColumn,
        StatementColumn,
        ColumnCount,
    };

    enum Role
    {
        ModeRole = Qt::UserRole + 1, // the sslmode keyword of the row
        EffectiveRole,               // bool: the profile behaves as this row's mode
        ChosenRole,                  // bool: the profile's sslmode is this row's mode
    };

    explicit SslModeRiskModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // chosen: the mode the profile asks for (after libpq's defaults); behavesAs: the row that
    // describes what really happens. Either may be empty (invalid value, will fail…).
    void setModes(std::optional<security::SslMode> chosen, std::optional<security::SslMode> behavesAs);
    std::optional<security::SslMode> chosen() const { return m_chosen; }
    std::optional<security::SslMode> behavesAs() const { return m_behavesAs; }
    // The row of a mode.
    static int rowOf(security::SslMode mode);

    // Colours follow the view's palette (light or dark).
    void setPalette(const QPalette& palette);

private:
    std::optional<security::SslMode> m_chosen;
    std::optional<security::SslMode> m_behavesAs;
    QPalette m_palette;
};

} // namespace vf::ui
