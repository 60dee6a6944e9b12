#include "SslModeRiskModel.h"

#include "security/SslModeTable.h"
#include "widgets/StatusLevel.h"

#include <QFont>
#include <QGuiApplication>

using namespace Qt::StringLiterals;

namespace vf::ui {

namespace {

StatusLevel levelOf(security::Protection p)
{
    switch (p) {
    case security::Protection::Yes:
        return StatusLevel::Ok;
    case security::Protection::Maybe:
        return StatusLevel::Warning;
    case security::Protection::No:
        break;
    }
    return StatusLevel::Error;
}

} // namespace

SslModeRiskModel::SslModeRiskModel(QObject* parent)
    : QAbstractTableModel(parent)
    , m_palette(QGuiApplication::palette())
{}

int SslModeRiskModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(security::sslModeTable().size());
}

int SslModeRiskModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int SslModeRiskModel::rowOf(security::SslMode mode)
{
    const auto table = security::sslModeTable();
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (table[i].mode == mode)
            return int(i);
    }
    return -1;
}

QVariant SslModeRiskModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const security::SslModeDescription& row = security::sslModeTable()[std::size_t(index.row())];
    const bool effective = m_behavesAs && *m_behavesAs == row.mode;
    const bool chosen = m_chosen && *m_chosen == row.mode;
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        switch (index.column()) {
        case ModeColumn: {
            QString text = row.keyword();
            if (effective)
                text = u"\u25b6 "_s + text;
            if (effective && chosen)
                text += u"\n"_s + tr("(this profile)");
            else if (effective)
                text += u"\n"_s + tr("(in effect)");
            else if (chosen)
                text += u"\n"_s + tr("(chosen)");
            return text;
        }
        case EavesdroppingColumn:
            return row.eavesdroppingLabel();
        case MitmColumn:
            return row.mitmLabel();
        case StatementColumn:
            return row.statementText();
        default:
            return {};
        }
    case Qt::ToolTipRole: {
        QString tip = row.noteText();
        return tip.isEmpty() ? row.statementText() : tip;
    }
    case Qt::FontRole:
        if (effective || chosen || index.column() == ModeColumn) {
            QFont f;
            f.setBold(effective || index.column() == ModeColumn);
            f.setItalic(chosen && !effective && index.column() != ModeColumn);
            return f;
        }
        return {};
    case Qt::BackgroundRole:
        if (effective) {
            QColor c = m_palette.color(QPalette::Highlight);
            c.setAlphaF(0.30f);
            return c;
        }
        if (chosen) {
            QColor c = m_palette.color(QPalette::Highlight);
            c.setAlphaF(0.10f);
            return c;
        }
        return {};
    case Qt::ForegroundRole:
        if (index.column() == EavesdroppingColumn)
            return statusColor(levelOf(row.eavesdropping), m_palette);
        if (index.column() == MitmColumn)
            return statusColor(levelOf(row.mitm), m_palette);
        return {};
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignTop);
    case ModeRole:
        return row.keyword();
    case EffectiveRole:
        return effective;
    case ChosenRole:
        return chosen;
    default:
        return {};
    }
}

QVariant SslModeRiskModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::ToolTipRole || role == Qt::AccessibleTextRole)
        return security::sslModeTableHeading(section);
    if (role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    // "Eavesdropping protection" on two lines keeps the narrow Yes/No columns narrow.
    QString heading = security::sslModeTableHeading(section);
    if (section == EavesdroppingColumn || section == MitmColumn) {
        const qsizetype space = heading.lastIndexOf(u' ');
        if (space > 0)
            heading[space] = u'\n';
    }
    return heading;
}

void SslModeRiskModel::setModes(std::optional<security::SslMode> chosen,
                                std::optional<security::SslMode> behavesAs)
{
    if (chosen == m_chosen && behavesAs == m_behavesAs)
        return;
    m_chosen = chosen;
    m_behavesAs = behavesAs;
    Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void SslModeRiskModel::setPalette(const QPalette& palette)
{
    m_palette = palette;
    Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

} // namespace vf::ui
