from members.models.profile import Profile
from members.models.user import User, UserManager

__all__ = ["Profile", "User", "UserManager"]
