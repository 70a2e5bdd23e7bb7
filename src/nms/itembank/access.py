"""What a scope may see and do in the item bank: the bank holds answer keys and is read only by its
authors and reviewers (who therefore may not take a test drawn from it, see nms.diagnostics.access);
competency areas are for everyone."""

from nms.accounts.access import register_action, register_model
from nms.accounts.models import Role
from nms.itembank.models import CompetencyArea, Item

BANK_READERS = (Role.ADMIN, Role.CNPPM, Role.EXPERT)

register_model(
    Item,
    lambda scope: Item.objects.all() if scope.can("itembank.view") else Item.objects.none(),
)
register_model(CompetencyArea, lambda scope: CompetencyArea.objects.all())

register_action("itembank.view", BANK_READERS, "видеть банк заданий с ключами")
register_action("itembank.edit", (Role.ADMIN, Role.CNPPM), "менять банк заданий")
