package demo

import (
	"math/rand/v2"
	"strings"

	"dangjian/internal/people"
)

// weighted is a list of labels with relative weights, drawn from with one
// random number: cumulative weights and a binary search.
type weighted struct {
	labels []string
	cum    []int
}

// newWeighted reads "label:weight" pairs separated by spaces; a label without
// a weight counts 1.
func newWeighted(spec string) weighted {
	var w weighted
	total := 0
	for _, f := range strings.Fields(spec) {
		label, n := f, 1
		if i := strings.LastIndexByte(f, ':'); i > 0 {
			label, n = f[:i], atoi(f[i+1:])
		}
		total += n
		w.labels = append(w.labels, label)
		w.cum = append(w.cum, total)
	}
	return w
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func (w weighted) pick(rng *rand.Rand) string {
	x := rng.IntN(w.cum[len(w.cum)-1])
	lo, hi := 0, len(w.cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if w.cum[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return w.labels[lo]
}

// Surnames weighted roughly as they occur in Shandong: 王, 张, 李 and 刘 make
// up a third of the province; a few compound surnames keep three-character
// names in the data.
var surnames = newWeighted(`王:90 张:80 李:80 刘:60 孙:30 陈:25 杨:25 赵:25 马:20 于:18 徐:18 高:18
	郭:12 周:12 宋:12 吴:10 韩:10 朱:10 孟:8 曹:8 田:8 董:8 崔:8 姜:8 冯:7 许:7 魏:6 吕:6 袁:5 范:5
	贾:5 丁:5 任:5 侯:5 秦:4 邢:4 薛:4 尹:4 苏:4 付:4 庞:3 葛:3 毕:3 彭:3 谢:3 牛:3 孔:3 隋:2 鞠:2
	房:2 宫:2 颜:2 逯:1 亓:1 司马:1 欧阳:1`)

// Given names follow the fashion of the decade of birth: 建国 and 秀英 for
// those born before 1960, 建军 and 丽华 for the 1960s and 1970s, 鹏飞 and
// 晓丽 for the 1980s and early 1990s, 浩然 and 欣怡 after. One-character
// given names (张伟, 李娜) come from their own lists.
var (
	givenMale = [4][]string{
		strings.Fields(`建国 国庆 建华 卫东 振华 志刚 德胜 树林 长林 玉林 宝山 连生 福贵 文明 学军 爱国 洪亮 克俭 立本 占魁
			金海 传文 兆祥 庆余 明德 守仁 俊峰 广田 世杰 振东`),
		strings.Fields(`建军 建平 永刚 志强 立新 国栋 海涛 东升 红军 卫国 晓东 振宇 宏伟 新民 文斌 庆华 志勇 继东 明亮 永胜
			志国 胜利 长青 伟东 建明 利民 春雷 军伟 洪涛 广军`),
		strings.Fields(`鹏飞 海龙 晓明 志鹏 建伟 俊杰 晓峰 文博 明辉 亚东 晓光 宏宇 永强 学磊 德华 家豪 子健 志远 国强 传伟
			立伟 凯旋 新宇 成龙 晓辉 兆军 立强 云鹏 金龙 绍华`),
		strings.Fields(`浩然 子轩 宇航 俊豪 天宇 博文 一鸣 鑫宇 昊天 思远 嘉豪 泽宇 晨阳 明轩 皓轩 文杰 宇轩 梓豪 雨泽 家乐
			浩宇 奕辰 锦程 睿泽 俊熙 子豪 志豪 逸飞 嘉乐 子墨`),
	}
	givenFemale = [4][]string{
		strings.Fields(`秀英 桂英 秀兰 桂兰 玉兰 凤英 淑珍 淑芬 玉珍 素芳 秀珍 桂芝 凤兰 玉梅 春兰 翠英 金凤 兰英 秀云 玉华
			淑兰 桂荣 素梅 爱华`),
		strings.Fields(`丽华 红梅 秀梅 晓燕 丽娟 玉霞 美玲 凤霞 海燕 春燕 淑华 红霞 丽萍 艳萍 爱玲 晓红 金萍 雪梅 建英 桂香
			彩霞 素华 玉红 丽君`),
		strings.Fields(`晓丽 丽娜 婷婷 文静 晶晶 倩倩 丹丹 慧敏 玉洁 晓雯 佳佳 艳丽 媛媛 秀丽 晓琳 园园 亚楠 雅琪 静怡 晓萌
			文娟 海霞 晓宁 梦洁`),
		strings.Fields(`欣怡 雨萱 梓涵 思琪 梦瑶 佳怡 雨欣 诗涵 心怡 一诺 雨桐 可欣 若曦 佳琪 晨曦 紫涵 欣妍 语嫣 梦琪 诗雨
			怡然 子琪 馨月 艺涵 嘉欣 雪晴 思雨 佳宁`),
	}
	singleMale   = strings.Fields(`伟 强 磊 军 勇 涛 斌 杰 鹏 辉 刚 明 超 健 峰 波 亮 凯 鑫 帅 浩 宇 博 东 林 华`)
	singleFemale = strings.Fields(`丽 娜 静 敏 燕 艳 霞 红 芳 玲 梅 琳 萍 娟 慧 洁 颖 雪 婷 倩 晶 丹 琴 莉 蕾 璐`)
	// Share of one-character given names, in percent, by era.
	singleShare = [4]int{10, 15, 12, 4}
)

// name returns a full name for someone of the given sex born in year.
func name(rng *rand.Rand, sex people.Sex, year int) string {
	era := 3
	switch {
	case year < 1960:
		era = 0
	case year < 1980:
		era = 1
	case year < 1995:
		era = 2
	}
	s := surnames.pick(rng)
	male := sex == people.Male
	if rng.IntN(100) < singleShare[era] {
		if male {
			return s + singleMale[rng.IntN(len(singleMale))]
		}
		return s + singleFemale[rng.IntN(len(singleFemale))]
	}
	if male {
		return s + givenMale[era][rng.IntN(len(givenMale[era]))]
	}
	return s + givenFemale[era][rng.IntN(len(givenFemale[era]))]
}
