package demo_test

import (
	"context"
	"slices"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// A new user opens the calendar and the figures on the first day: meetings
// held, a warning or two, and figures with a year-on-year change.
func TestDemoLife(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		st := firstDay.Open(t, d, nil)

		from := date.Of(today.Year(), 1, 1)
		data, err := st.EventCalendarData(ctx, auth.Everything, 0, from, today.AddDate(0, 0, 1), today)
		if err != nil {
			t.Fatal(err)
		}
		checks := slices.Collect(event.Compliance(data.Orgs, data.Rules, data.Held, from, today.AddDate(0, 0, 1), today))
		states := map[event.State]int{}
		var missed []string
		for _, c := range checks {
			states[c.State]++
			if c.State == event.Missed {
				missed = append(missed, c.OrgName+" "+c.Rule.KindName+" "+c.Span.Start.String())
			}
		}
		if states[event.Met] < 60 {
			t.Errorf("calendar: only %d requirements met: %v", states[event.Met], states)
		}
		if len(missed) == 0 || len(missed) > 6 {
			t.Errorf("calendar: want a warning or two, got %d missed: %v", len(missed), missed)
		}
		congress := false
		for _, m := range missed {
			if m == "第三党支部 支部党员大会 2026-01-01" {
				congress = true
			}
		}
		if !congress {
			t.Errorf("第三党支部's missing first-quarter 支部党员大会 is not flagged: %v", missed)
		}

		half := event.Span{Start: today.AddDate(0, -6, 1), End: today.AddDate(0, 0, 1)}
		now, err := st.EventFigureInput(ctx, auth.Everything, 0, half)
		if err != nil {
			t.Fatal(err)
		}
		then, err := st.EventFigureInput(ctx, auth.Everything, 0, half.YearEarlier())
		if err != nil {
			t.Fatal(err)
		}
		fn, ft := event.Compute(now), event.Compute(then)
		for name, pair := range map[string][2]float64{
			"events held": {float64(fn.Held), float64(ft.Held)},
			"人次":          {float64(fn.PersonTimes), float64(ft.PersonTimes)},
			"补课":          {float64(fn.MadeUp), float64(ft.MadeUp)},
			"集体决策事项":      {float64(fn.Decisions), float64(ft.Decisions)},
			"授课人次":        {float64(fn.SpeakerTimes), float64(ft.SpeakerTimes)},
		} {
			if pair[0] == 0 || pair[1] == 0 {
				t.Errorf("%s: this half-year %v, a year earlier %v; both should be non-zero", name, pair[0], pair[1])
			}
		}
		// Notes and reflections per capita, up on the year before.
		if fn.NotesPerCapita == 0 || ft.NotesPerCapita == 0 || fn.NotesPerCapita <= ft.NotesPerCapita {
			t.Errorf("人均笔记字数: %.0f this half-year, %.0f a year earlier; want both non-zero and a rise", fn.NotesPerCapita, ft.NotesPerCapita)
		}
		if fn.ReflectionsPC == 0 || ft.ReflectionsPC == 0 || fn.ReflectionsPC <= ft.ReflectionsPC {
			t.Errorf("心得体会人均篇数: %.2f this half-year, %.2f a year earlier; want both non-zero and a rise", fn.ReflectionsPC, ft.ReflectionsPC)
		}
		// Some reflections belong to the 机关党委's campaign.
		if cs, err := st.Campaigns(ctx, auth.Everything); err == nil && len(cs) > 0 {
			if _, refl, err := st.CampaignNotes(ctx, auth.Everything, cs[0].ID); err != nil || refl == 0 {
				t.Errorf("campaign %s has %d reflections (%v)", cs[0].Name, refl, err)
			}
		}
		// The 机关党委's study plan for the coming months, with its sessions.
		plans, err := st.LearningPlans(ctx, auth.Everything)
		if err != nil || len(plans) != 1 || plans[0].Sessions < 30 {
			t.Errorf("study plans: %+v %v", plans, err)
		}
		if c := fn.Coverage.Value(); c < 0.9 {
			t.Errorf("coverage %.2f", c)
		}
		t.Logf("notes per capita %.0f (a year earlier %.0f), reflections %.2f (%.2f)", fn.NotesPerCapita, ft.NotesPerCapita, fn.ReflectionsPC, ft.ReflectionsPC)
		t.Logf("half-year: held %d, 人次 %d, 补课 %d, decisions %d, speakers %d, coverage %v; year before: held %d, 人次 %d",
			fn.Held, fn.PersonTimes, fn.MadeUp, fn.Decisions, fn.SpeakerTimes, fn.Coverage, ft.Held, ft.PersonTimes)
	})
}
