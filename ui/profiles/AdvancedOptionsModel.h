#pragma once

#include "settings/ConnInfo.h"
#include "settings/EffectiveSettings.h"

#include <QAbstractTableModel>
#include <QList>
#include <QStringList>

#include <optional>

namespace vf::ui {

// The libpq parameters the editor has no dedicated field for, as keyword/value rows (in libpq's
// option-table order), with the effective value and where it comes from when nothing is typed.
class AdvancedOptionsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AdvancedOptionsModel)

public:
    enum Column
    {
        KeywordColumn,
        ValueColumn,
        EffectiveColumn,
        ColumnCount,
    };

    enum Role
    {
        KeywordRole = Qt::UserRole + 1,
        SecretRole, // bool: the value is a secret (masked, never saved)
    };

    // Every libpq keyword except `excluded` (those have their own fields).
    explicit AdvancedOptionsModel(const QStringList& excluded, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

    const QStringList& keywords() const { return m_keywords; }
    int rowOf(const QString& keyword) const;
    QString value(const QString& keyword) const;

    // Takes the values of the shown keywords from a connection string.
    void setValues(const settings::ConnInfo& info);
    // Writes the shown keywords into a connection string (empty: removed).
    void applyTo(settings::ConnInfo& info) const;
    void setEffective(const std::optional<settings::EffectiveSettings>& effective);

Q_SIGNALS:
    // The person changed a value.
    void edited(const QString& keyword);

private:
    QStringList m_keywords;
    QStringList m_values;
    std::optional<settings::EffectiveSettings> m_effective;
};

} // namespace vf::ui
