"""What a scope may see in the deficit maps: anyone sees the maps of their own scope's people (the
numbers are counted over that scope only, see nms.deficits.maps). The deficits keep no models."""

from nms.accounts.access import register_action
from nms.accounts.models import Role

register_action("deficits.view_maps", list(Role), "видеть карты дефицитов своей области")
