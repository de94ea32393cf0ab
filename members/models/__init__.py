from members.models.neighborhood_count import NeighborhoodCount
from members.models.profile import Profile
from members.models.topic_count import TopicCount
from members.models.user import User, UserManager

__all__ = ["NeighborhoodCount", "Profile", "TopicCount", "User", "UserManager"]
