"""The admin's own words: «НМС — администрирование», in Russian (models' names are Russian in
their Meta; the login lockout's section is renamed in nms.common.apps.AxesConfig)."""

from django.contrib import admin

admin.site.site_header = "НМС — администрирование"
admin.site.site_title = "НМС — администрирование"
admin.site.index_title = "Администрирование"
