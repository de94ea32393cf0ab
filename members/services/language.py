from members.models import User


def user_language_set(*, user: User, language: str) -> None:
    """Remember a member's language: their pages and every email to them use it.

    Side effects: updates the user's row.
    """
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
