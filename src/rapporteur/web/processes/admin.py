from django.contrib import admin

from .models import Phase, Process, Session, Taxonomy, Term


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class TaxonomyInline(admin.TabularInline):
    model = Taxonomy
    extra = 0


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "mandate"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PhaseInline, TaxonomyInline]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["title", "kind", "start_date", "end_date", "venue", "status"]


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["name", "process", "number", "start_date", "end_date"]
    list_filter = ["process"]
    inlines = [SessionInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "phase", "kind", "start_date", "venue", "status", "contributions_deadline"]
    list_filter = ["phase__process", "kind", "status"]
    search_fields = ["title", "theme", "venue"]


class TermInline(admin.TabularInline):
    model = Term
    extra = 0


@admin.register(Taxonomy)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "process", "slug"]
    inlines = [TermInline]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "taxonomy"]
    list_filter = ["taxonomy"]
