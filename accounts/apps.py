from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from accounts.allauth_admin import replace_allauth_admin

        replace_allauth_admin()
