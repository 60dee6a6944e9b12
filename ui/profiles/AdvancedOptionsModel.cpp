#include "AdvancedOptionsModel.h"

#include "settings/ConnOptions.h"

using namespace Qt::StringLiterals;

namespace vf::ui {

AdvancedOptionsModel::AdvancedOptionsModel(const QStringList& excluded, QObject* parent)
    : QAbstractTableModel(parent)
{
    for (const settings::ConnOptionInfo& o : settings::connOptions()) {
        const QString keyword = o.keywordString();
        if (!excluded.contains(keyword))
            m_keywords << keyword;
    }
    m_values.resize(m_keywords.size());
}

int AdvancedOptionsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_keywords.size());
}

int AdvancedOptionsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AdvancedOptionsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QString& keyword = m_keywords.at(index.row());
    const QString& value = m_values.at(index.row());
    const settings::ConnOptionInfo* option = settings::findConnOption(keyword);
    const bool secret = option && option->isSecret();
    if (role == KeywordRole)
        return keyword;
    if (role == SecretRole)
        return secret;
    switch (index.column()) {
    case KeywordColumn:
        if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole)
            return keyword;
        if (role == Qt::ToolTipRole && option) {
            QStringList tip;
            if (option->envVar)
                tip << tr("Environment variable: %1").arg(QString::fromLatin1(option->envVar));
            if (option->compiledDefault)
                tip << tr("libpq's default: %1")
                           .arg(option->compiledDefault[0] ? QString::fromLatin1(option->compiledDefault)
                                                           : tr("(empty)"));
            tip << tr("Known since PostgreSQL %1").arg(option->sinceMajor);
            if (secret)
                tip << tr("A secret: kept for this session only, never saved in the profile file");
            return tip.join(u'\n');
        }
        return {};
    case ValueColumn:
        if (role == Qt::EditRole)
            return value;
        if (role == Qt::DisplayRole)
            return secret && !value.isEmpty() ? QString(value.size(), QChar(0x2022)) : value;
        if (role == Qt::AccessibleTextRole)
            return secret ? (value.isEmpty() ? tr("not set") : tr("set (hidden)")) : value;
        if (role == Qt::ToolTipRole)
            return tr("Double-click or press F2 to edit %1").arg(keyword);
        return {};
    case EffectiveColumn: {
        if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != Qt::AccessibleTextRole)
            return {};
        if (!value.isEmpty() || !m_effective)
            return {};
        const settings::EffectiveValue* ev = m_effective->find(keyword);
        if (!ev || !ev->value)
            return role == Qt::DisplayRole ? QVariant() : QVariant(tr("not set"));
        const QString label = role == Qt::ToolTipRole ? ev->origin.detailedLabel() : ev->origin.label();
        const QString shown = ev->value->isEmpty() ? tr("empty") : ev->displayValue();
        return tr("%1 (%2)").arg(shown, label);
    }
    default:
        return {};
    }
}

QVariant AdvancedOptionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case KeywordColumn:
        return tr("Parameter");
    case ValueColumn:
        return tr("Value");
    case EffectiveColumn:
        return tr("When not set here");
    default:
        return {};
    }
}

Qt::ItemFlags AdvancedOptionsModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == ValueColumn)
        f |= Qt::ItemIsEditable;
    return f;
}

bool AdvancedOptionsModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !index.isValid() || index.column() != ValueColumn)
        return false;
    const QString v = value.toString();
    if (v.contains(QChar(0)))
        return false; // libpq strings cannot hold a NUL
    if (m_values[index.row()] == v)
        return true;
    m_values[index.row()] = v;
    Q_EMIT dataChanged(this->index(index.row(), ValueColumn), this->index(index.row(), EffectiveColumn));
    Q_EMIT edited(m_keywords.at(index.row()));
    return true;
}

int AdvancedOptionsModel::rowOf(const QString& keyword) const
{
    return int(m_keywords.indexOf(keyword));
}

QString AdvancedOptionsModel::value(const QString& keyword) const
{
    const int row = rowOf(keyword);
    return row < 0 ? QString() : m_values.at(row);
}

void AdvancedOptionsModel::setValues(const settings::ConnInfo& info)
{
    for (qsizetype i = 0; i < m_keywords.size(); ++i)
        m_values[i] = info.value(m_keywords.at(i)).value_or(QString());
    Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void AdvancedOptionsModel::applyTo(settings::ConnInfo& info) const
{
    for (qsizetype i = 0; i < m_keywords.size(); ++i) {
        if (m_values.at(i).isEmpty())
            info.remove(m_keywords.at(i));
        else
            info.setValue(m_keywords.at(i), m_values.at(i));
    }
}

void AdvancedOptionsModel::setEffective(const std::optional<settings::EffectiveSettings>& effective)
{
    m_effective = effective;
    Q_EMIT dataChanged(index(0, EffectiveColumn), index(rowCount() - 1, EffectiveColumn));
}

} // namespace vf::ui
