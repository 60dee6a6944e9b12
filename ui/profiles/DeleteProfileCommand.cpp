#include "DeleteProfileCommand.h"

#include "ProfileListModel.h"

namespace vf::ui {

DeleteProfileCommand::DeleteProfileCommand(ProfileListModel* model, const QUuid& id)
    : m_model(model)
    , m_id(id)
{
    if (const Profile* p = model->find(id))
        m_profile = *p;
    setText(tr("Delete profile \u201c%1\u201d").arg(m_profile.name));
}

void DeleteProfileCommand::redo()
{
    m_row = m_model->rowOf(m_id);
    if (m_row >= 0)
        m_profile = m_model->takeProfile(m_row);
}

void DeleteProfileCommand::undo()
{
    if (m_row >= 0 && m_model->rowOf(m_id) < 0)
        m_model->insertProfile(m_row, m_profile);
}

} // namespace vf::ui
