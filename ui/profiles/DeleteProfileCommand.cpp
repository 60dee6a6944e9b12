#include "DeleteProfileCommand.h"

#include "ProfileListModel.h"

namespace vf::ui {

DeleteProfileCommand::DeleteProfileCommand(ProfileListModel* model, const QUuid& id, Notify notify)
    : m_model(model)
    , m_id(id)
    , m_notify(std::move(notify))
{
    if (const Profile* p = model->find(id))
        m_profile = *p;
    setText(tr("Delete profile \u201c%1\u201d").arg(m_profile.name));
}

void DeleteProfileCommand::redo()
{
    m_row = m_model->rowOf(m_id);
    if (m_row < 0)
        return;
    m_profile = m_model->takeProfile(m_row);
    if (m_notify)
        m_notify(m_profile, true);
}

void DeleteProfileCommand::undo()
{
    if (m_row < 0 || m_model->rowOf(m_id) >= 0)
        return;
    m_model->insertProfile(m_row, m_profile);
    if (m_notify)
        m_notify(m_profile, false);
}

} // namespace vf::ui
