from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "nms.accounts"
    label = "accounts"
    verbose_name = "Пользователи и доступ"
