from members.models.profile import Profile
from members.models.topic_count import TopicCount
from members.models.user import User, UserManager

__all__ = ["Profile", "TopicCount", "User", "UserManager"]
