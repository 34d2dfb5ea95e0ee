package msg

// input are the messages of the kernel's checks on every body value, before
// any handler reads it.
var _ = add(map[string]string{
	"input.control_chars": "含有不可见的控制字符，请删除后重新输入",
	"input.bool":          "请选择“是”或“否”",
})
